package com.shopcrm.customer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.customer.service.CustomerMergedException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A merged-away customer answers {@code 410 Gone}: problem+json with {@code merged_into} (the
 * survivor's id) and {@code Location: /api/v1/customers/{survivor}}. Chains are flattened at
 * merge time, so the pointer always names a live profile.
 */
public class CustomerMergedMapper {

  /** The RFC 9457 body with the {@code merged_into} extension member. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MergedProblem(String type, String title, int status, String detail, long mergedInto) {
  }

  @ServerExceptionMapper
  public Response merged(CustomerMergedException e) {
    Problem p = e.problem();
    return Response.status(410)
        .type(Problem.MEDIA_TYPE)
        .header("Location", CustomerResource.PATH + "/" + e.mergedInto())
        .entity(new MergedProblem(p.type(), p.title(), p.status(), p.detail(), e.mergedInto()))
        .build();
  }
}
