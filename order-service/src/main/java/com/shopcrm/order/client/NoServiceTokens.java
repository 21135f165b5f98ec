package com.shopcrm.order.client;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The default {@link ServiceTokens}: none configured, so background calls skip. */
@DefaultBean
@ApplicationScoped
public class NoServiceTokens implements ServiceTokens {

  @Override
  public Optional<String> authorizationFor(String tenantId) {
    return Optional.empty();
  }
}
