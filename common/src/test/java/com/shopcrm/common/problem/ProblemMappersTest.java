package com.shopcrm.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** What the services answer when the database is away for a moment (a restart): 503, never 500. */
class ProblemMappersTest {

  private final ProblemMappers mappers = new ProblemMappers();

  @Test
  void databaseShuttingDownOrUnreachableIsARetryable503() {
    for (String state : new String[] {"57P01", "57P03", "08006", "53300"}) {
      Response r = mappers.database(new PgException("down", "FATAL", state, null));
      assertEquals(503, r.getStatus(), state);
      assertEquals("2", r.getHeaderString("Retry-After"));
      assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
    }
    assertEquals(503, mappers.unexpected(new RuntimeException(ClosedConnectionException.INSTANCE)).getStatus());
    assertEquals(503, mappers.unexpected(new ConnectException("Connection refused")).getStatus());
  }

  @Test
  void dataErrorsStayClientErrorsAndTheRestA500() {
    assertEquals(409, mappers.database(new PgException("dup", "ERROR", "23505", null)).getStatus());
    assertEquals(400, mappers.database(new PgException("range", "ERROR", "22003", null)).getStatus());
    assertEquals(500, mappers.database(new PgException("bug", "ERROR", "42P01", null)).getStatus());
    assertEquals(500, mappers.unexpected(new IllegalStateException("bug")).getStatus());
  }
}
