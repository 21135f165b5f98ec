package com.shopcrm.order;

import com.shopcrm.order.client.ServiceTokens;
import com.shopcrm.testing.InternalTokens;
import jakarta.inject.Singleton;
import java.util.Optional;

/** A token source tests switch on, to show the background resolution works once one is configured. */
@Singleton
public class TestServiceTokens implements ServiceTokens {

  private volatile boolean enabled;

  public void enable(boolean on) {
    enabled = on;
  }

  @Override
  public Optional<String> authorizationFor(String tenantId) {
    return enabled ? Optional.of(InternalTokens.bearer(tenantId, "integration")) : Optional.empty();
  }
}
