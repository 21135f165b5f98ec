package com.shopcrm.order.rest;

import static com.shopcrm.order.rest.Api.count;
import static com.shopcrm.order.rest.Imports.IMPORTS;
import static com.shopcrm.order.rest.Imports.await;
import static com.shopcrm.order.rest.Imports.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.order.TestServiceTokens;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderImportTest {

  private static final String GENERIC_HEADER = "order_no,customer_external_id,ordered_at,total_amount,status,"
      + "customer_name,phone,email,province,city,sku,product_name,category,quantity,unit_price,coupon_code,channel,"
      + "refund_amount\n";

  @Inject
  TestServiceTokens tokens;

  @BeforeEach
  void tokensOn() {
    tokens.enable(true);
  }

  /** 10 hand-written rows (6 bad, on lines 5-10) and 120 generated orders over 30 buyers. */
  private static byte[] genericFile(String b) {
    StringBuilder csv = new StringBuilder(GENERIC_HEADER);
    csv.append("G-1,").append(b).append("1,2024-03-01 10:15:00,100.00,,Alice,13800138000,a@x.cn,浙江省,杭州市,SKU-1,Tea,"
        + "drinks,2,30.00,C1,web,\n");
    csv.append("G-1,").append(b).append("1,2024-03-01 10:15:00,100.00,,,,,,,SKU-2,Cup,ware,1,40.00,,,\n");
    csv.append("G-2,").append(b).append("2,20240302,50,paid,Bob,,,,,SKU-3,Pot,,2,,,,\n");
    csv.append("G-3,,2024-03-03T10:00:00+08:00,10,,,,,,,,,,,,,,\n"); // line 5: no buyer
    csv.append("G-4,").append(b).append("3,not-a-date,10,,,,,,,,,,,,,,\n"); // line 6
    csv.append("G-5,").append(b).append("3,2024-03-03,abc,,,,,,,,,,,,,,\n"); // line 7
    csv.append("G-6,").append(b).append("3,2024-03-03,10,,,,,,,SKU-9,x,,0,1,,,\n"); // line 8: quantity 0
    csv.append("G-7,").append(b).append("4,2024-03-03,10,,,,,,,SKU-1,a,,1,5,,,\n"); // line 9
    csv.append("G-7,").append(b).append("4,2024-03-03,11,,,,,,,SKU-2,b,,1,5,,,\n"); // line 10: other total
    csv.append("\"G-8\",").append(b).append("5,\"2024-03-04 08:00:00\",20,refunded,,,,,,,,,,,,,20\n");
    for (int i = 0; i < 120; i++) {
      csv.append("G-1").append(String.format("%02d", i)).append(',').append(b).append("x").append(i % 30)
          .append(",2024-04-01T09:00:00Z,").append(10 + i).append(".50,completed,,,,,,SKU-").append(i)
          .append(",Item ").append(i).append(",cat,1,").append(10 + i).append(".50,,app,\n");
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void importsGenericOrdersWithLineItemsReportsBadRowsByLineAndReimportsNothingTwice() {
    String tenant = InternalTokens.newTenant("imp");
    String buyers = tenant + "-b";
    byte[] file = genericFile(buyers);

    JsonPath job = await(tenant, upload(tenant, "generic", file, "text/csv"));
    assertEquals("completed", job.getString("status"), job.prettify());
    assertEquals(130, job.getLong("rows_total"));
    assertEquals(124, job.getLong("rows_imported"));
    assertEquals(0, job.getLong("rows_duplicate"));
    assertEquals(6, job.getLong("rows_rejected"));
    assertEquals(List.of(5, 6, 7, 8, 9, 10), job.getList("errors.line", Integer.class));
    assertTrue(job.getString("errors[0].reason").contains("customer_external_id"), job.prettify());
    assertTrue(job.getString("errors[1].reason").contains("ordered_at"));
    assertTrue(job.getString("errors[2].reason").contains("total_amount"));
    assertTrue(job.getString("errors[3].reason").contains("quantity"));
    assertTrue(job.getString("errors[5].reason").contains("total_amount: differs from line 9"));

    assertEquals(123, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
    assertEquals(123, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND customer_id IS NOT NULL", tenant));
    assertEquals(123, count("SELECT count(*) FROM order_event WHERE tenant_id = ? AND type = 'order.created'", tenant));
    assertEquals(2, count("""
        SELECT count(*) FROM order_item i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
         WHERE o.tenant_id = ? AND o.order_no = 'G-1'""", tenant));
    assertEquals(1, count("""
        SELECT count(*) FROM order_item i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
         WHERE o.tenant_id = ? AND o.order_no = 'G-2' AND i.unit_price = 25.00 AND i.quantity = 2""", tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = 'G-8' AND status = 'refunded'"
        + " AND refunded_amount = 20", tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = 'G-2' AND status = 'paid'"
        + " AND ordered_at = '2024-03-02T00:00:00+08:00'", tenant));
    assertEquals(1, count("SELECT count(*) FROM order_event WHERE tenant_id = ? AND order_no = 'G-1'"
        + " AND jsonb_array_length(payload->'items') = 2 AND payload->>'customer_id' IS NOT NULL", tenant));
    assertEquals(0, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no IN ('G-3','G-4','G-5','G-6','G-7')",
        tenant));
    // each order.created event carries the order exactly as the API shows it (contact details left
    // out), and the events follow the file's order
    for (String orderNo : List.of("G-1", "G-2", "G-8")) {
      long id = count("SELECT id FROM orders WHERE tenant_id = ? AND order_no = ?", tenant, orderNo);
      String shown = given().header("Authorization", InternalTokens.bearer(tenant, "admin"))
          .get(Api.ORDERS + "/" + id).then().statusCode(200).extract().asString();
      assertEquals(1, count("""
          SELECT count(*) FROM order_event WHERE tenant_id = ? AND order_id = ?
             AND payload = ?::jsonb - 'customer_phone' - 'customer_email' - 'refunds' - 'reviews'""",
          tenant, id, shown), orderNo + ": " + shown);
    }
    assertEquals(0, count("""
        SELECT count(*) FROM (SELECT order_id, lag(order_id) OVER (ORDER BY seq) AS before
                                FROM order_event WHERE tenant_id = ?) e
         WHERE e.order_id < e.before""", tenant));

    // the buyers went to customer-service in bulk (at most one call per chunk), with a token order-service signed
    List<Map<String, Object>> calls = Imports.customerCalls(buyers);
    assertTrue(!calls.isEmpty() && calls.size() <= 3, "calls: " + calls.size());
    String jwt = ((String) calls.get(0).get("authorization")).substring("Bearer ".length());
    String claims = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    assertTrue(claims.contains("\"sub\":\"service:order-service\"") && claims.contains("\"tenant_id\":\"" + tenant + "\"")
        && claims.contains("integration") && claims.contains("\"jti\"") && claims.contains("\"iss\":\"shop-crm-gateway\""),
        claims);

    // the same file again: every good row is a duplicate, nothing written, no customer call
    JsonPath again = await(tenant, upload(tenant, "generic", file, "text/csv"));
    assertEquals("completed", again.getString("status"));
    assertEquals(130, again.getLong("rows_total"));
    assertEquals(0, again.getLong("rows_imported"));
    assertEquals(124, again.getLong("rows_duplicate"));
    assertEquals(6, again.getLong("rows_rejected"));
    assertEquals(123, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
    assertEquals(123, count("SELECT count(*) FROM order_event WHERE tenant_id = ?", tenant));
    assertEquals(calls.size(), Imports.customerCalls(buyers).size());
  }

  @Test
  void importsTaobaoGbkReportWithEmbeddedNewlinesExcelGuardsAndStatusWords() {
    String tenant = InternalTokens.newTenant("tb");
    String csv = "订单编号 ,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝总数量,收货人姓名,联系手机,收货地址 ,退款金额\r\n"
        + "=\"1001\"," + tenant + "-alice,99.00,交易成功,2024-01-05 10:00:00,2024-01-05 10:01:00,\"绿茶\r\n礼盒装\",2,张三,"
        + "=\"13800138000\",\"浙江省 杭州市 西湖区 文三路1号\",0.00\r\n"
        + "=\"1002\"," + tenant + "-bob,50.00,交易关闭,2024-01-06 10:00:00,2024-01-06 10:01:00,红茶,1,李四,138****0000,"
        + "上海 上海市 浦东新区,50.00\r\n"
        + "=\"1003\"," + tenant + "-alice,30.00,等待买家付款,2024-01-07 10:00:00,,乌龙茶,1,张三,,江苏省南京市玄武区,0\r\n"
        + "=\"1004\"," + tenant + "-carol,80.00,卖家已发货，等待买家确认收货,2024-01-08 10:00:00,2024-01-08 10:05:00,普洱,1,"
        + "王五,,广东省 深圳市 南山区,\r\n"
        + "=\"1005\"," + tenant + "-dave,20.00,买家已付款，等待卖家发货,2024-01-09 10:00:00,2024-01-09 10:05:00,白茶,1,"
        + "赵六,,四川省 成都市,\r\n"
        + "=\"1006\"," + tenant + "-erin,abc,交易成功,2024-01-10 10:00:00,2024-01-10 10:05:00,花茶,1,钱七,,湖南省,\r\n"
        + "=\"1007\"," + tenant + "-frank,60.00,交易成功,2024-01-11 10:00:00,2024-01-11 10:05:00,黄茶,3,孙八,,"
        + "内蒙古自治区 呼和浩特市,20.00\r\n";
    byte[] gbk = csv.getBytes(Charset.forName("GBK"));

    JsonPath job = await(tenant, upload(tenant, "taobao", gbk, "text/csv"));
    assertEquals("completed", job.getString("status"), job.prettify());
    assertEquals("GB18030", job.getString("charset"));
    assertEquals(7, job.getLong("rows_total"));
    assertEquals(6, job.getLong("rows_imported"));
    assertEquals(1, job.getLong("rows_rejected"));
    assertEquals(8, job.getInt("errors[0].line"), "the 1001 row spans lines 2-3, so 1006 starts on line 8");
    assertTrue(job.getString("errors[0].reason").contains("买家实际支付金额"));

    assertEquals(1, count("""
        SELECT count(*) FROM orders o JOIN order_item i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
         WHERE o.tenant_id = ? AND o.order_no = '1001' AND o.status = 'completed' AND o.customer_platform = 'taobao'
           AND o.customer_name = '张三' AND o.customer_phone = '13800138000' AND o.province = '浙江省'
           AND o.city = '杭州市' AND i.product_name = E'绿茶\\r\\n礼盒装' AND i.quantity = 2 AND i.unit_price = 49.50
           AND o.paid_at = '2024-01-05T10:01:00+08:00' AND o.customer_id IS NOT NULL AND NOT o.anonymous""", tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = '1002' AND status = 'refunded'"
        + " AND refunded_amount = 50 AND customer_phone IS NULL AND province = '上海市'", tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = '1003' AND status = 'created'"
        + " AND paid_at IS NULL AND province = '江苏省' AND city = '南京市'", tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = '1004' AND status = 'shipped'",
        tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = '1005' AND status = 'paid'",
        tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = '1007'"
        + " AND status = 'partially_refunded' AND refunded_amount = 20 AND city = '呼和浩特市'", tenant));
    assertEquals(1, Imports.customerCalls(tenant + "-").size(), "one customer-service call for the report");
  }

  @Test
  void importsAnonymousTaobaoReportInUtf8WithBomWithoutCustomers() {
    String tenant = InternalTokens.newTenant("anon");
    int callsBefore = Api.fakeCalls().getList("calls").size();
    String csv = "\uFEFF订单编号,总金额,买家实际支付金额,收货地址 ,订单创建时间,订单付款时间 ,退款金额\n"
        + "1,178.8,0.0,上海,2020-02-21 00:00:00,,0.0\n"
        + "2,21.0,21.0,内蒙古自治区,2020-02-20 23:59:54,2020-02-21 00:00:02,0.0\n"
        + "5,64.8,0.0,江苏省,2020-02-20 23:57:04,2020-02-20 23:57:11,64.8\n"
        + "6,327.7,148.9,浙江省,2020-02-20 23:56:39,2020-02-20 23:56:53,178.8\n";
    JsonPath job = await(tenant, upload(tenant, "taobao", csv.getBytes(StandardCharsets.UTF_8), "text/csv"));
    assertEquals("completed", job.getString("status"), job.prettify());
    assertEquals("UTF-8", job.getString("charset"));
    assertEquals(4, job.getLong("rows_imported"));
    assertEquals(4, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND anonymous AND customer_id IS NULL"
        + " AND customer_external_id IS NULL AND NOT customer_pending", tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = '1' AND status = 'created'"
        + " AND total_amount = 178.8 AND province = '上海市'", tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = '5' AND status = 'refunded'",
        tenant));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no = '6'"
        + " AND status = 'partially_refunded' AND refunded_amount = 178.8", tenant));
    assertEquals(callsBefore, Api.fakeCalls().getList("calls").size(), "anonymous orders call no one");
  }

  @Test
  void rejectsUnknownFormatAndMissingRequiredColumnsWithProblems() {
    String tenant = InternalTokens.newTenant("imp");
    given().header("Authorization", InternalTokens.bearer(tenant, "admin")).contentType("text/csv")
        .body(GENERIC_HEADER.getBytes(StandardCharsets.UTF_8))
        .post(IMPORTS + "?format=shopify")
        .then().statusCode(400).contentType("application/problem+json")
        .body("errors[0].field", equalTo("format"));
    given().header("Authorization", InternalTokens.bearer(tenant, "admin")).contentType("text/csv")
        .body("order_no,customer_external_id,ordered_at\nA,b,2024-01-01\n".getBytes(StandardCharsets.UTF_8))
        .post(IMPORTS + "?format=generic")
        .then().statusCode(400).contentType("application/problem+json")
        .body("detail", containsString("total_amount"));
    given().header("Authorization", InternalTokens.bearer(tenant, "admin")).contentType("text/csv")
        .body("order_no,total\n".getBytes(StandardCharsets.UTF_8))
        .post(IMPORTS + "?format=taobao")
        .then().statusCode(400).body("detail", containsString("订单编号"));
    assertEquals(0, count("SELECT count(*) FROM order_import WHERE tenant_id = ?", tenant));
  }

  @Test
  void analystMayReadButNotImport() {
    String tenant = InternalTokens.newTenant("imp");
    given().header("Authorization", InternalTokens.bearer(tenant, "analyst")).contentType("text/csv")
        .body(GENERIC_HEADER.getBytes(StandardCharsets.UTF_8))
        .post(IMPORTS + "?format=generic")
        .then().statusCode(403);
    given().contentType("text/csv").body(GENERIC_HEADER.getBytes(StandardCharsets.UTF_8))
        .post(IMPORTS + "?format=generic")
        .then().statusCode(401);
  }

  @Test
  void otherTenantSeesNotFound() {
    String tenant = InternalTokens.newTenant("imp");
    String id = upload(tenant, "generic", (GENERIC_HEADER + "T-1," + tenant + "-t,2024-01-01,5,,,,,,,,,,,,,,\n")
        .getBytes(StandardCharsets.UTF_8), "text/csv");
    assertEquals("completed", await(tenant, id).getString("status"));
    given().header("Authorization", InternalTokens.bearer(InternalTokens.newTenant("other"), "admin"))
        .get(IMPORTS + "/" + id).then().statusCode(404);
    given().header("Authorization", InternalTokens.bearer(tenant, "admin"))
        .get(IMPORTS + "/not-a-uuid").then().statusCode(404);
  }

  @Test
  void importFailsClearlyWithoutATokenToCallCustomerService() {
    tokens.enable(false);
    String tenant = InternalTokens.newTenant("imp");
    String id = upload(tenant, "generic", (GENERIC_HEADER + "N-1," + tenant + "-n,2024-01-01,5,,,,,,,,,,,,,,\n")
        .getBytes(StandardCharsets.UTF_8), "text/csv");
    JsonPath job = await(tenant, id);
    assertEquals("failed", job.getString("status"));
    assertTrue(job.getString("failure").contains("CRM_JWT_PRIVATE_KEY_LOCATION"), job.getString("failure"));
    assertEquals(0, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
  }

  static long sql(String query, Object... args) throws Exception {
    try (Connection c = TestDatabase.get().connect(Api.DATABASE); PreparedStatement s = c.prepareStatement(query)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      if (s.execute()) {
        try (ResultSet rs = s.getResultSet()) {
          rs.next();
          return rs.getLong(1);
        }
      }
      return s.getUpdateCount();
    }
  }
}
