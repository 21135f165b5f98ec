package com.shopcrm.gateway.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.client.ApiClient;
import com.shopcrm.client.ApiException;
import com.shopcrm.client.api.AdminApi;
import com.shopcrm.client.api.CustomersApi;
import com.shopcrm.client.api.StatusApi;
import com.shopcrm.client.model.CorsSettings;
import com.shopcrm.client.model.CreateCustomer;
import com.shopcrm.client.model.Customer;
import com.shopcrm.client.model.PlatformStatus;
import com.shopcrm.client.model.TenantView;
import com.shopcrm.gateway.GatewayTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Java client generated (openapi-generator, java/native) from the aggregated document calls the
 * API through the gateway: creates a customer and reads it back, reads the status, sets a shop's
 * origins. The customer service is a fake here; the document is the one the gateway serves with the
 * fake services ({@link OpenApiTest#clientIsGeneratedFromTheServedDocument}).
 */
@QuarkusTest
class GeneratedClientTest extends GatewayTest {

  @TestHTTPResource("/")
  URL gateway;

  private ApiClient client(String bearer) {
    ApiClient client = new ApiClient();
    client.updateBaseUri(gateway.toString().replaceAll("/$", ""));
    client.setRequestInterceptor(request -> request.header("Authorization", bearer));
    return client;
  }

  @Test
  void createsACustomerAndReadsItBack() throws Exception {
    String shop = newTenant("client");
    CustomersApi customers = new CustomersApi(client(issueKey(shop, "marketer").bearer()));

    Customer created = customers.createCustomer(new CreateCustomer().name("王小明").phone("15212343170").tags(List.of("vip")));
    assertNotNull(created.getId());
    Customer read = customers.getCustomer(created.getId());
    assertEquals("王小明", read.getName());
    assertEquals("15212343170", read.getPhone());
    assertEquals(List.of("vip"), read.getTags());
  }

  @Test
  void callsTheGatewaysOwnApi() throws Exception {
    String shop = newTenant("client-own");
    ApiClient admin = client(issueKey(shop, "admin").bearer());

    PlatformStatus status = new StatusApi(admin).apiV1StatusGet();
    assertTrue(status.getServices().stream().anyMatch(s -> "customer".equals(s.getName()) && "UP".equals(s.getStatus())));

    TenantView view = new AdminApi(admin).apiV1AdminTenantsIdCorsPut(shop,
        new CorsSettings().origins(List.of("https://client.example.com")));
    assertEquals(List.of("https://client.example.com"), view.getCorsOrigins());
  }

  @Test
  void aBadKeyIsAnApiExceptionWith401() {
    CustomersApi customers = new CustomersApi(client("Bearer crm_not-a-key-that-was-ever-issued-000"));
    ApiException e = assertThrows(ApiException.class, () -> customers.getCustomer(1L));
    assertEquals(401, e.getCode());
  }
}
