package com.shopcrm.gateway.rest;

import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.gateway.auth.Caller;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;

/** The {@link Caller} the gateway's front route authenticated for this request. */
@RequestScoped
public class CurrentCaller {

  private final CurrentVertxRequest request;

  CurrentCaller(CurrentVertxRequest request) {
    this.request = request;
  }

  public Caller get() {
    Caller caller = request.getCurrent() == null ? null : request.getCurrent().get(Caller.CONTEXT_KEY);
    if (caller == null) {
      // Cannot happen behind the front route; refuse rather than act for nobody.
      throw new ProblemException(Problem.of(401, "Unauthorized", "An API key is required."));
    }
    return caller;
  }
}
