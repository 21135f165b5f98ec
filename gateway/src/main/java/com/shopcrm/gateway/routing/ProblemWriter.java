package com.shopcrm.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;

/** problem+json bodies for answers the gateway gives outside Quarkus REST (in the Vert.x route). */
@ApplicationScoped
public class ProblemWriter {

  private final ObjectMapper json;

  ProblemWriter(ObjectMapper json) {
    this.json = json;
  }

  public Buffer body(Problem problem) {
    try {
      return Buffer.buffer(json.writeValueAsBytes(problem));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public void send(HttpServerResponse response, Problem problem) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .end(body(problem));
  }
}
