package com.shopcrm.order;

import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.ServiceWiringChecks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The platform's wiring checks (ServiceWiringChecks) on order-service. */
@QuarkusTest
@QuarkusTestResource(FakeCustomerService.class)
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_order_test"))
class ServiceWiringTest extends ServiceWiringChecks {

  @Override
  protected String database() {
    return "crm_order_test";
  }

  @Override
  protected String apiPath() {
    return "/api/v1/orders";
  }
}
