package com.shopcrm.gateway.openapi;

import com.shopcrm.gateway.FakeUpstreams;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The gateway with every fake service up (the order one too), for the OpenAPI documents. */
public class AllServicesUp implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(PostgresTestResource.class, Map.of("database", "crm_gateway_test")),
        new TestResourceEntry(FakeUpstreams.class, Map.of("order", "up")));
  }

  @Override
  public boolean disableGlobalTestResources() {
    return true;
  }
}
