package com.shopcrm.order;

import com.shopcrm.order.client.ServiceTokens;
import com.shopcrm.order.client.SignedServiceTokens;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The real {@link SignedServiceTokens} (signing with the test key, {@code %test} config) behind a
 * switch, so a test can show what happens while no token source is configured.
 */
@Alternative
@Priority(1)
@Singleton
public class TestServiceTokens implements ServiceTokens {

  private final SignedServiceTokens signed;
  private volatile boolean enabled = true;

  TestServiceTokens(SignedServiceTokens signed) {
    this.signed = signed;
  }

  public void enable(boolean on) {
    enabled = on;
  }

  @Override
  public Optional<String> authorizationFor(String tenantId) {
    return enabled ? signed.authorizationFor(tenantId) : Optional.empty();
  }
}
