package com.shopcrm.customer.rest;

import static com.shopcrm.customer.rest.Api.CUSTOMERS;
import static com.shopcrm.customer.rest.Api.admin;
import static com.shopcrm.customer.rest.Api.as;
import static com.shopcrm.customer.rest.Api.create;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** {@code POST /customers/contacts}: bulk contact details for campaign-service's channel adapters. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class CustomerContactsTest {

  static final String CONTACTS = CUSTOMERS + "/contacts";

  @Test
  void answersContactsAndConsentOfLiveCustomersOfTheTenantOnly() {
    String tenant = InternalTokens.newTenant("contacts");
    String other = InternalTokens.newTenant("contacts-other");
    long a = create(tenant, "{\"name\": \"张伟\", \"phone\": \"152 1234 3170\", \"email\": \"zw@example.com\"}");
    long b = create(tenant, "{\"name\": \"Li\", \"email\": \"li@example.com\"}");
    long merged = create(tenant, "{\"name\": \"Li again\", \"phone\": \"13900000000\"}");
    long foreign = create(other, "{\"name\": \"Other shop's buyer\", \"phone\": \"13700000000\"}");
    admin(tenant).body("{\"channel\": \"sms\", \"granted\": false}").put(CUSTOMERS + "/" + a + "/consent").then()
        .statusCode(200);
    admin(tenant).body("{\"channel\": \"email\", \"granted\": true}").put(CUSTOMERS + "/" + a + "/consent").then()
        .statusCode(200);
    admin(tenant).body("{\"survivor_id\": " + b + ", \"merged_id\": " + merged + "}").post(CUSTOMERS + "/merge")
        .then().statusCode(200);

    as(tenant, "integration").body("{\"customer_ids\": [%d, %d, %d, %d, 999999999, %d]}"
            .formatted(b, a, merged, foreign, a))
        .post(CONTACTS).then().statusCode(200)
        .body("items.customer_id", contains((int) a, (int) b))
        .body("items[0].name", equalTo("张伟"))
        .body("items[0].phone", equalTo("152 1234 3170"))
        .body("items[0].email", equalTo("zw@example.com"))
        .body("items[0].consent_sms", equalTo(false))
        .body("items[0].consent_email", equalTo(true))
        .body("items[0].consent_app", equalTo(true))
        // the merge filled the survivor's empty phone from the merged profile
        .body("items[1].phone", equalTo("13900000000"))
        .body("items[1].consent_sms", equalTo(true));

    // the other tenant sees only its own customer
    as(other, "admin").body("{\"customer_ids\": [%d, %d]}".formatted(a, foreign))
        .post(CONTACTS).then().statusCode(200)
        .body("items.customer_id", contains((int) foreign));
    as(other, "admin").body("{\"customer_ids\": []}").post(CONTACTS).then().statusCode(200)
        .body("items", empty());
  }

  @Test
  void onlyIntegrationAndAdminMayReadContacts() {
    String tenant = InternalTokens.newTenant("contacts-roles");
    long id = create(tenant, "{\"name\": \"Zhao\", \"phone\": \"13600000000\"}");
    String body = "{\"customer_ids\": [" + id + "]}";
    for (String role : new String[] {"marketer", "agent", "analyst"}) {
      as(tenant, role).body(body).post(CONTACTS).then().statusCode(403);
    }
    as(tenant, "admin").body(body).post(CONTACTS).then().statusCode(200).body("items[0].phone", equalTo("13600000000"));
    as(tenant, "integration").body(body).post(CONTACTS).then().statusCode(200);
  }

  @Test
  void rejectsBadRequestsWithAProblem() {
    String tenant = InternalTokens.newTenant("contacts-bad");
    String tooMany = LongStream.rangeClosed(1, 5001).mapToObj(Long::toString).collect(Collectors.joining(","));
    as(tenant, "integration").body("{\"customer_ids\": [" + tooMany + "]}").post(CONTACTS).then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("customer_ids"));
    String fiveThousand = LongStream.rangeClosed(1, 5000).mapToObj(Long::toString).collect(Collectors.joining(","));
    as(tenant, "integration").body("{\"customer_ids\": [" + fiveThousand + "]}").post(CONTACTS).then()
        .statusCode(200);
    as(tenant, "integration").body("{}").post(CONTACTS).then().statusCode(400)
        .contentType("application/problem+json").body("errors.field", hasItem("customer_ids"));
    as(tenant, "integration").body("{\"customer_ids\": [0, -3]}").post(CONTACTS).then().statusCode(400)
        .contentType("application/problem+json");
    as(tenant, "integration").body("{\"customer_ids\": [\"abc\"]}").post(CONTACTS).then().statusCode(400)
        .contentType("application/problem+json");
    as(tenant, "integration").body("{\"customer_ids\": [1], \"extra\": true}").post(CONTACTS).then().statusCode(400)
        .contentType("application/problem+json");
    as(tenant, "integration").body("{\"customer_ids\": [null]}").post(CONTACTS).then().statusCode(400)
        .contentType("application/problem+json");
  }
}
