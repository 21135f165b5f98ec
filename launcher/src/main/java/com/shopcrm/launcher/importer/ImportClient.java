package com.shopcrm.launcher.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * The gateway's order import API for one tenant's API key: {@code POST /api/v1/orders/imports?format=} with the
 * file streamed as the body (never read into memory), and {@code GET /api/v1/orders/imports/{id}}.
 * An error status becomes a {@link GatewayAnswerException}; no answer at all an {@link IOException}.
 */
public class ImportClient {

  static final String IMPORTS = "api/v1/orders/imports";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

  private final URI gateway;
  private final String apiKey;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  /** {@code gateway} is the base URL, e.g. {@code http://127.0.0.1:8080/}. */
  public ImportClient(URI gateway, String apiKey) {
    this.gateway = gateway.getPath().endsWith("/") ? gateway : URI.create(gateway + "/");
    this.apiKey = apiKey;
    // HTTP/1.1: no h2c upgrade dance on a large streamed POST.
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  /** The gateway's base URL. */
  public URI gateway() {
    return gateway;
  }

  /** The job's URL, for the report and for checking on it later. */
  public URI jobUri(String id) {
    return gateway.resolve(IMPORTS + "/" + id);
  }

  /**
   * Uploads {@code file} as {@code format} (generic or taobao); {@code sentSoFar} hears the bytes handed to the
   * connection. The job as accepted (202). No overall timeout: a large file takes as long as it takes.
   */
  public ImportJob upload(Path file, String format, LongConsumer sentSoFar)
      throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (FileNotFoundException e) {
      throw new IOException("cannot read " + file, e);
    }
    URI uri = gateway.resolve(IMPORTS + "?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "text/csv")
        .header("Accept", "application/json, application/problem+json")
        .POST(new CountingBodyPublisher(body, sentSoFar))
        .build();
    return job("Upload refused", http.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  /** The job now. */
  public ImportJob job(String id) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(jobUri(id))
        .header("Authorization", "Bearer " + apiKey)
        .header("Accept", "application/json, application/problem+json")
        .timeout(POLL_TIMEOUT)
        .GET()
        .build();
    return job("Reading import " + id + " failed", http.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  private ImportJob job(String what, HttpResponse<String> answer) {
    JsonNode body = parse(answer.body());
    if (answer.statusCode() / 100 != 2) {
      throw GatewayAnswerException.of(what, answer.statusCode(), body, answer.body());
    }
    if (body == null || !body.isObject()) {
      throw GatewayAnswerException.of(what + " (the answer is not an import job)", answer.statusCode(), null,
          answer.body());
    }
    return ImportJob.from(body);
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
