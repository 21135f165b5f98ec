package com.shopcrm.order.rest;

import static io.restassured.RestAssured.given;

import com.shopcrm.testing.InternalTokens;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Uploading CSV files to the import endpoint and waiting for their jobs. */
final class Imports {

  static final String IMPORTS = "/api/v1/orders/imports";

  private Imports() {
  }

  /** Uploads the bytes; the job id (asserts 202). */
  static String upload(String tenant, String format, byte[] csv, String contentType) {
    return given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
            .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
        .header("Authorization", InternalTokens.bearer(tenant, "integration"))
        .contentType(contentType).body(csv)
        .post(IMPORTS + "?format=" + format)
        .then().statusCode(202).extract().jsonPath().getString("id");
  }

  /** Polls the job until it is completed or failed (at most a minute); its JSON. */
  static JsonPath await(String tenant, String id) {
    Instant until = Instant.now().plus(Duration.ofSeconds(90));
    while (true) {
      JsonPath job = given().header("Authorization", InternalTokens.bearer(tenant, "analyst"))
          .get(IMPORTS + "/" + id).then().statusCode(200).extract().jsonPath();
      String status = job.getString("status");
      if ("completed".equals(status) || "failed".equals(status) || Instant.now().isAfter(until)) {
        return job;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The fake customer-service's batch calls that carried a buyer whose external id starts with the prefix. */
  static List<Map<String, Object>> customerCalls(String externalIdPrefix) {
    List<Map<String, Object>> calls = Api.fakeCalls().getList("calls");
    return calls.stream().filter(c -> c.toString().contains("external_id=" + externalIdPrefix)).toList();
  }
}
