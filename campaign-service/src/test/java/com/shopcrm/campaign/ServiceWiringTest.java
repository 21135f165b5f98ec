package com.shopcrm.campaign;

import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.ServiceWiringChecks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The platform's wiring checks (ServiceWiringChecks) on campaign-service. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class ServiceWiringTest extends ServiceWiringChecks {

  @Override
  protected String database() {
    return "crm_campaign_test";
  }

  @Override
  protected String apiPath() {
    return "/api/v1/segments";
  }
}
