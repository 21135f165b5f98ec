package com.shopcrm.e2e.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Raw HTTP for the security suites: any method, any bytes, any header (rest-assured would encode a
 * body it was given as a string, and cannot send invalid UTF-8), and a small pool to run independent
 * requests in parallel.
 */
public final class Http {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private Http() {
  }

  /** One request: method, URL path (with query) on a port, headers, body bytes (null: none) and its content type. */
  public record Call(String method, int port, String path, Map<String, String> headers, byte[] body, String contentType) {

    public Call withHeaders(Map<String, String> more) {
      Map<String, String> all = new java.util.LinkedHashMap<>(headers);
      all.putAll(more);
      return new Call(method, port, path, all, body, contentType);
    }

    @Override
    public String toString() {
      String shown = body == null ? "" : " body " + abbreviate(new String(body, StandardCharsets.UTF_8), 160);
      return method + " :" + port + path + (contentType == null ? "" : " [" + contentType + "]") + shown;
    }
  }

  /** An answer: status, content type (without parameters) and body. */
  public record Answer(int status, String contentType, String body, HttpResponse<String> raw) {

    public boolean is2xx() {
      return status >= 200 && status < 300;
    }

    public boolean isProblem() {
      return "application/problem+json".equals(contentType);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + abbreviate(body, 300), e);
      }
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + abbreviate(body, 300);
    }
  }

  public static Answer send(Call call) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + call.port() + call.path()))
        .timeout(Duration.ofSeconds(60))
        .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(call.body()));
    call.headers().forEach(request::header);
    if (call.contentType() != null) {
      request.header("Content-Type", call.contentType());
    }
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      String type = response.headers().firstValue("Content-Type").orElse("");
      int semicolon = type.indexOf(';');
      return new Answer(response.statusCode(), (semicolon < 0 ? type : type.substring(0, semicolon)).trim(),
          response.body(), response);
    } catch (IOException e) {
      throw new IllegalStateException("no answer to " + call + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code work} over {@code items} on a few threads (the machine has 2 cores and 5 services), in order. */
  public static <T, R> List<R> parallel(List<T> items, Function<T, R> work) {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String abbreviate(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + " chars)";
  }
}
