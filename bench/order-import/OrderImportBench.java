import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static bench.BenchSupport.*;

/**
 * Bulk order import benchmark: POST /api/v1/orders/imports?format=generic of a generated CSV through
 * the gateway to order-service (real customer-service beside them, all from their built jars), against psql
 * \copy of the same file into a typed table. Needs the JDK, psql and the PostgreSQL JDBC driver;
 * see README.md.
 *
 * <pre>
 * java -cp postgresql.jar bench/order-import/OrderImportBench.java [--rows 1000000] [customers=200000]
 *      [seed=42] [pg=127.0.0.1:5432] [user=postgres] [password=postgres]
 * </pre>
 */
public class OrderImportBench {

  static final double GOAL_RATIO = 1.5;
  static final long GOAL_RSS_MB = 350;
  static final String[] PROVINCES = {"浙江省", "江苏省", "广东省", "上海市", "北京市", "四川省", "山东省", "湖北省"};
  static final String[] CITIES = {"杭州市", "南京市", "广州市", "上海市", "北京市", "成都市", "济南市", "武汉市"};
  static final String[] CATEGORIES = {"tea", "ware", "snacks", "gifts", "fruit"};
  static final String[] STATUSES = {"completed", "completed", "completed", "completed", "completed", "completed",
      "paid", "shipped", "cancelled", "refunded"};

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>(Map.of("rows", "1000000", "customers", "200000", "seed", "42",
        "pg", "127.0.0.1:5432", "user", "postgres", "password", "postgres", "order-db", "crm_bench_order",
        "customer-db", "crm_bench_order_customers"));
    opt.put("gateway-db", "crm_bench_order_gateway");
    opt.put("data", "synthetic");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--rows")) {
        opt.put("rows", args[++i]);
      } else {
        String[] kv = args[i].replaceFirst("^--", "").split("=", 2);
        opt.put(kv[0], kv[1]);
      }
    }
    int rows = Integer.parseInt(opt.get("rows"));
    int customers = Math.max(1, Math.min(Integer.parseInt(opt.get("customers")), rows / 5));
    Path root = findRoot();
    Path keys = root.resolve("testing/src/main/resources/crm-test-keys");
    String base = "jdbc:postgresql://" + opt.get("pg") + "/";
    String[] hostPort = opt.get("pg").split(":");

    // 1. the file: data=synthetic (default) writes the CSV below; data=shop takes the shop generator's orders.csv
    //    (./crm generate: BG/NBD + Gamma-Gamma orders of rows/4 customers, every generic column, ~rows lines)
    boolean shop = opt.get("data").equals("shop");
    Path csv = shop
        ? Path.of(System.getProperty("java.io.tmpdir"), "order-import-bench-shop-" + rows + "-" + opt.get("seed"),
            "orders.csv")
        : Path.of(System.getProperty("java.io.tmpdir"), "order-import-bench-" + rows + "-" + opt.get("seed") + ".csv");
    if (shop) {
      customers = Math.max(1, rows / 4);
      if (!Files.exists(csv)) {
        long t0 = System.nanoTime();
        Process gen = new ProcessBuilder(javaBin(), "-cp", root.resolve("launcher/target/crm-launcher.jar").toString(),
            "com.shopcrm.launcher.cli.CrmCommand", "generate", "--customers", String.valueOf(customers), "--seed",
            opt.get("seed"), "--out", csv.getParent().toString()).inheritIO().start();
        if (gen.waitFor() != 0) {
          throw new IllegalStateException("./crm generate failed (is launcher/target/crm-launcher.jar built?)");
        }
        say(String.format("generated %s (%d MB) in %.1f s", csv, Files.size(csv) >> 20, (System.nanoTime() - t0) / 1e9));
      } else {
        say("reusing " + csv + " (" + (Files.size(csv) >> 20) + " MB)");
      }
      try (var lines = Files.lines(csv)) {
        rows = (int) lines.count() - 1;
      }
    } else if (!Files.exists(csv)) {
      long t0 = System.nanoTime();
      generate(csv, rows, customers, Long.parseLong(opt.get("seed")));
      say(String.format("generated %s (%d MB) in %.1f s", csv, Files.size(csv) >> 20, (System.nanoTime() - t0) / 1e9));
    } else {
      say("reusing " + csv + " (" + (Files.size(csv) >> 20) + " MB)");
    }

    // 2. databases; the gateway, customer-service and order-service from their jars with the flags
    //    ./crm up gives them (scoring and campaign are not started: their event deliveries wait)
    for (String db : new String[] {opt.get("order-db"), opt.get("customer-db"), opt.get("gateway-db")}) {
      ensureDatabase(opt.get("pg"), opt.get("user"), opt.get("password"), db);
    }
    String privateKey = keys.resolve("privateKey.pem").toString();
    String adminKey = "crm_admin_bench_" + UUID.randomUUID().toString().replace("-", "");
    List<String> jvm = serviceJvmFlags();
    Service customerService = startService(root, "customer-service", opt.get("customer-db"), opt, jvm);
    Service orderService = startService(root, "order-service", opt.get("order-db"), opt, jvm, Map.of(
        "CRM_CUSTOMER_URL", customerService.url(), "CRM_JWT_PRIVATE_KEY_LOCATION", privateKey));
    Service gateway = startService(root, "gateway", opt.get("gateway-db"), opt, gatewayJvmFlags(), Map.of(
        "CRM_CUSTOMER_URL", customerService.url(), "CRM_ORDER_URL", orderService.url(),
        "CRM_JWT_PRIVATE_KEY_LOCATION", privateKey, "CRM_BOOTSTRAP_ADMIN_KEY", adminKey));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      try (Connection c = DriverManager.getConnection(base + opt.get("order-db"), opt.get("user"),
          opt.get("password")); Statement s = c.createStatement()) {
        s.execute("TRUNCATE orders, order_item, order_event, order_import CASCADE");
        s.execute("VACUUM ANALYZE orders");
      }

      // 3. a fresh shop and an integration key for it, from the gateway's admin API
      String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
      post(http, gateway.url() + "/api/v1/admin/tenants", adminKey, "{\"id\":\"" + tenant + "\",\"name\":\"" + tenant + "\"}");
      String apiKey = field(post(http, gateway.url() + "/api/v1/admin/api-keys", adminKey,
          "{\"tenant_id\":\"" + tenant + "\",\"roles\":[\"integration\"]}"), "key");

      // 4. the import through the gateway: upload, then poll the job until it ends
      long t0 = System.nanoTime();
      HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(
              URI.create(gateway.url() + "/api/v1/orders/imports?format=generic"))
          .header("Authorization", "Bearer " + apiKey).header("Content-Type", "text/csv")
          .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofFile(csv)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (accepted.statusCode() != 202) {
        throw new IllegalStateException("upload answered " + accepted.statusCode() + ": " + accepted.body());
      }
      double uploadS = (System.nanoTime() - t0) / 1e9;
      String id = field(accepted.body(), "id");
      say(String.format("uploaded in %.1f s, job %s", uploadS, id));
      String job;
      long lastSay = 0;
      while (true) {
        job = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/orders/imports/" + id))
            .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString()).body();
        String status = field(job, "status");
        if (System.nanoTime() - lastSay > 10_000_000_000L) {
          lastSay = System.nanoTime();
          say("  " + status + ": rows_total=" + field(job, "rows_total") + " (" + (lastSay - t0) / 1_000_000_000 + " s)");
        }
        if (status.equals("completed") || status.equals("failed")) {
          break;
        }
        Thread.sleep(250);
      }
      double importS = (System.nanoTime() - t0) / 1e9;
      long hwm = vmHwmKb(orderService.process().pid());
      if (!field(job, "status").equals("completed")) {
        throw new IllegalStateException("import failed: " + job);
      }

      // 5. the baseline: psql \copy of the same file into a typed table with its keys
      try (Connection c = DriverManager.getConnection(base + opt.get("order-db"), opt.get("user"),
          opt.get("password")); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS bench_copy");
        s.execute("""
            CREATE TABLE bench_copy (
              tenant_id text NOT NULL DEFAULT 'bench', order_no text NOT NULL, customer_external_id text NOT NULL,
              ordered_at timestamptz NOT NULL, total_amount numeric(14,2) NOT NULL, status text, customer_name text,
              phone text, email text, province text, city text, sku text NOT NULL, product_name text,
              category text, quantity int, unit_price numeric(14,2), coupon_code text, channel text,
              refund_amount numeric(14,2),
              PRIMARY KEY (tenant_id, order_no, sku))""");
        s.execute("CREATE INDEX bench_copy_customer_idx ON bench_copy (tenant_id, customer_external_id, ordered_at)");
      }
      long c0 = System.nanoTime();
      ProcessBuilder copy = new ProcessBuilder("psql", "-h", hostPort[0], "-p", hostPort[1], "-U", opt.get("user"), "-d",
          opt.get("order-db"), "-v", "ON_ERROR_STOP=1", "-c",
          "\\copy bench_copy (" + (shop ? "order_no, customer_external_id, ordered_at, total_amount, status,"
              + " customer_name, phone, email, province, city, sku, product_name, category, quantity, unit_price,"
              + " coupon_code, channel, refund_amount" : "order_no, customer_external_id, ordered_at, total_amount,"
              + " status, customer_name, phone, province, city, sku, product_name, category, quantity, unit_price,"
              + " channel") + ") FROM '" + csv
              + "' WITH (FORMAT csv, HEADER true)")
          .inheritIO();
      copy.environment().put("PGPASSWORD", opt.get("password"));
      Process psql = copy.start();
      if (psql.waitFor() != 0) {
        throw new IllegalStateException("psql \\copy failed");
      }
      double copyS = (System.nanoTime() - c0) / 1e9;

      double ratio = importS / copyS;
      say("");
      say(String.format("rows %d, orders imported %s, rows_imported %s, rows_duplicate %s, rows_rejected %s", rows,
          field(job, "orders_imported"), field(job, "rows_imported"), field(job, "rows_duplicate"),
          field(job, "rows_rejected")));
      say(String.format("import through the gateway (upload + job, customers and items included): %.1f s", importS));
      say(String.format("psql \\copy into a typed, keyed, indexed table:                  %.1f s", copyS));
      say(String.format("ratio %.2fx (goal <= %.1fx): %s", ratio, GOAL_RATIO, ratio <= GOAL_RATIO ? "met" : "NOT met"));
      say(String.format("order-service peak RSS (VmHWM): %d MB (goal <= %d MB): %s", hwm >> 10, GOAL_RSS_MB,
          (hwm >> 10) <= GOAL_RSS_MB ? "met" : "NOT met"));
      String scale = rows + " CSV rows, " + customers + " buyers" + (shop ? " (generated shop)" : "");
      result("order-import.time", "order import, generic CSV through the gateway", scale, importS, "s", copyS,
          "≤ " + GOAL_RATIO + "× `psql \\copy`", ratio <= GOAL_RATIO);
      result("order-import.rss", "order-service peak RSS during the import", scale, hwm >> 10, "MB", null,
          "≤ " + GOAL_RSS_MB + " MB", (hwm >> 10) <= GOAL_RSS_MB);
    } finally {
      gateway.process().destroy();
      orderService.process().destroy();
      customerService.process().destroy();
    }
  }

  /** rows CSV lines: orders of 1-3 items, buyers drawn with a skew (repeat buyers), over about two years. */
  static void generate(Path file, int rows, int customers, long seed) throws IOException {
    Random random = new Random(seed);
    DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    LocalDateTime start = LocalDateTime.of(2023, 1, 1, 0, 0);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("order_no,customer_external_id,ordered_at,total_amount,status,customer_name,phone,province,city,sku,"
          + "product_name,category,quantity,unit_price,channel\n");
      int written = 0;
      int order = 0;
      while (written < rows) {
        order++;
        int items = Math.min(rows - written, 1 + random.nextInt(3));
        int buyer = (int) (customers * Math.pow(random.nextDouble(), 1.6));
        int region = buyer % PROVINCES.length;
        String when = start.plusSeconds((long) order * 63_000_000L / Math.max(1, rows / 2) + random.nextInt(60))
            .format(time);
        String status = STATUSES[random.nextInt(STATUSES.length)];
        String channel = random.nextBoolean() ? "app" : "web";
        int[] qty = new int[items];
        long[] cents = new long[items];
        long total = 0;
        for (int i = 0; i < items; i++) {
          qty[i] = 1 + random.nextInt(3);
          cents[i] = 500 + random.nextInt(30_000);
          total += qty[i] * cents[i];
        }
        for (int i = 0; i < items; i++) {
          int product = random.nextInt(5000);
          out.write("B" + order + ",buyer-" + buyer + "," + when + "," + money(total) + "," + status + ",Buyer " + buyer
              + ",138" + String.format("%08d", buyer) + "," + PROVINCES[region] + "," + CITIES[region] + ",SKU-"
              + product + "-" + i + ",Product " + product + "," + CATEGORIES[product % CATEGORIES.length] + ","
              + qty[i] + "," + money(cents[i]) + "," + channel + "\n");
        }
        written += items;
      }
    }
  }

  static String money(long cents) {
    return (cents / 100) + "." + String.format("%02d", cents % 100);
  }

  static String post(HttpClient http, String url, String key, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  static long vmHwmKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
    return m.find() ? m.group(1) : "?";
  }
}
