package com.shopcrm.launcher.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's order import endpoints played by the JDK's HTTP server: records the upload (method, path, query,
 * headers, body bytes) and answers with scripted answers; each poll takes the next job state, the last one
 * repeating.
 */
final class FakeGateway implements AutoCloseable {

  record Answer(int status, String contentType, String body) {
  }

  record Upload(String method, String path, String query, String authorization, String contentType, byte[] body) {
  }

  static final String JOB_ID = "5b0c7c1e-8a57-4c2f-9a51-0c1f6a1d2e3f";

  private final HttpServer server;
  private volatile Answer uploadAnswer = job(202, "queued", 0, 0, 0, 0, "[]", null);
  private final Deque<Answer> polls = new ArrayDeque<>();
  final List<Upload> uploads = new CopyOnWriteArrayList<>();
  final AtomicInteger pollCount = new AtomicInteger();
  final List<String> pollAuthorizations = new CopyOnWriteArrayList<>();

  FakeGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/orders/imports", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  FakeGateway answerUploadWith(Answer answer) {
    uploadAnswer = answer;
    return this;
  }

  /** The job states the polls see, in order; the last one repeats. */
  FakeGateway thenPolls(Answer... answers) {
    synchronized (polls) {
      polls.addAll(List.of(answers));
    }
    return this;
  }

  static Answer job(int status, String state, long imported, long duplicate, long rejected, long bytesRead,
      String errorsJson, String failure) {
    long total = imported + duplicate + rejected;
    String body = "{\"id\":\"" + JOB_ID + "\",\"status\":\"" + state + "\",\"format\":\"generic\",\"charset\":\"UTF-8\","
        + "\"rows_total\":" + total + ",\"rows_imported\":" + imported + ",\"rows_duplicate\":" + duplicate
        + ",\"rows_rejected\":" + rejected + ",\"orders_imported\":" + imported + ",\"errors\":" + errorsJson
        + ",\"bytes_total\":1000,\"bytes_read\":" + bytesRead
        + (failure == null ? "" : ",\"failure\":\"" + failure + "\"")
        + ",\"created_by\":\"key-1\",\"created_at\":\"2026-01-05T10:00:00+08:00\"}";
    return new Answer(status, "application/json", body);
  }

  static Answer problem(int status, String title, String detail, String errorsJson) {
    String body = "{\"type\":\"https://shop-crm.dev/problems/x\",\"title\":\"" + title + "\",\"status\":" + status
        + ",\"detail\":\"" + detail + "\"" + (errorsJson == null ? "" : ",\"errors\":" + errorsJson) + "}";
    return new Answer(status, "application/problem+json", body);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Answer answer;
      String path = exchange.getRequestURI().getPath();
      if (exchange.getRequestMethod().equals("POST") && path.equals("/api/v1/orders/imports")) {
        uploads.add(new Upload(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("Content-Type"), body));
        answer = uploadAnswer;
      } else if (exchange.getRequestMethod().equals("GET") && path.equals("/api/v1/orders/imports/" + JOB_ID)) {
        pollCount.incrementAndGet();
        pollAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        synchronized (polls) {
          answer = polls.size() > 1 ? polls.poll() : polls.peek();
        }
        if (answer == null) {
          answer = problem(404, "Not Found", "no such import", null);
        }
      } else {
        answer = problem(404, "Not Found", "no route " + path, null);
      }
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", answer.contentType());
      exchange.sendResponseHeaders(answer.status(), out.length);
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
