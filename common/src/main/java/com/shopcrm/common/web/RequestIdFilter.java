package com.shopcrm.common.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Carries the gateway's {@code X-Request-Id} through the service: into the log context (so every
 * log line of the request names it) and back on the response.
 */
public class RequestIdFilter {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "request_id";

  @ServerRequestFilter(preMatching = true)
  public void onRequest(ContainerRequestContext request) {
    String id = request.getHeaderString(HEADER);
    if (id == null || id.isBlank() || id.length() > 128) {
      id = UUID.randomUUID().toString();
    }
    request.setProperty(MDC_KEY, id);
    MDC.put(MDC_KEY, id);
  }

  @ServerResponseFilter
  public void onResponse(ContainerRequestContext request, ContainerResponseContext response) {
    Object id = request.getProperty(MDC_KEY);
    if (id != null) {
      response.getHeaders().putSingle(HEADER, id);
    }
  }
}
