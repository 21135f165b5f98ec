package com.shopcrm.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.launcher.PlatformException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON calls to the gateway with one bearer key; any answer outside {@code accepted} is a {@link PlatformException}. */
final class GatewayJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String key;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  GatewayJson(URI gateway, String key) {
    this.base = gateway.getPath().endsWith("/") ? gateway : URI.create(gateway + "/");
    this.key = key;
  }

  GatewayJson withKey(String otherKey) {
    return new GatewayJson(base, otherKey);
  }

  URI base() {
    return base;
  }

  String key() {
    return key;
  }

  /** The status and parsed body (null when empty or not JSON). */
  record Answer(int status, JsonNode body, String raw) {
  }

  Answer call(String method, String path, Object body, String idempotencyKey) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("api/v1/" + path))
          .timeout(Duration.ofSeconds(120))
          .header("Authorization", "Bearer " + key)
          .header("Accept", "application/json, application/problem+json");
      if (idempotencyKey != null) {
        request.header("Idempotency-Key", idempotencyKey);
      }
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed = null;
      if (answer.body() != null && !answer.body().isBlank()) {
        try {
          parsed = JSON.readTree(answer.body());
        } catch (IOException notJson) {
          parsed = null;
        }
      }
      return new Answer(answer.statusCode(), parsed, answer.body());
    } catch (IOException e) {
      throw new PlatformException("demo: " + method + " " + path + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("demo: interrupted");
    }
  }

  /** The answer's body when its status is 2xx, else a PlatformException naming the call and the problem. */
  JsonNode ok(String method, String path, Object body, String idempotencyKey) {
    Answer a = call(method, path, body, idempotencyKey);
    if (a.status() / 100 != 2) {
      throw new PlatformException("demo: " + method + " " + path + " answered " + a.status() + ": "
          + abbreviate(a.raw()));
    }
    return a.body();
  }

  JsonNode get(String path) {
    return ok("GET", path, null, null);
  }

  static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > 400 ? text.substring(0, 400) + "…" : text;
  }
}
