package com.shopcrm.scoring;

import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.ServiceWiringChecks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The platform's wiring checks (ServiceWiringChecks) on scoring-service. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class ServiceWiringTest extends ServiceWiringChecks {

  @Override
  protected String database() {
    return "crm_scoring_test";
  }

  @Override
  protected String apiPath() {
    return "/api/v1/scores/1";
  }
}
