package com.shopcrm.launcher.datagen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.ZipfDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A realistic shop drawn from a BG/NBD + Gamma-Gamma process (the models scoring-service fits, docs/MODELS.md).
 * Per customer: purchase rate λ ~ Gamma(r, α), dropout probability p ~ Beta(a, b), spend scale ν ~ Gamma(q, γ).
 * The first purchase falls uniformly in the period; then purchases follow a Poisson process with rate λ and after
 * each repeat purchase the customer drops out with probability p; each order's value is Gamma(p, ν) (mean p/ν).
 * Items come from a catalogue whose popularity follows a Zipf law; some orders are cancelled or refunded, some
 * reviewed; cart_abandon events scatter over a customer's active time.
 *
 * <p>Customers are produced one at a time ({@link #generate}), so a million need no more memory than one. One
 * random stream (WELL19937c) seeded by {@link ShopParameters#seed()}: the same parameters give the same shop.
 */
public final class ShopGenerator {

  /** Shop time: Asia/Shanghai has had no daylight saving since 1991. */
  public static final ZoneOffset SHOP_OFFSET = ZoneOffset.ofHours(8);
  /** The sales channels and their shares. */
  public static final String[] CHANNELS = {"taobao", "tmall", "jd", "own_site"};
  private static final double[] CHANNEL_SHARES = {0.45, 0.25, 0.20, 0.10};
  /** Hour-of-day weights of orders: evenings are busy, nights quiet. */
  private static final int[] HOUR_WEIGHTS = {3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 5, 5, 5, 5, 5, 6, 8, 10, 11, 9, 6};
  private static final int[] RATING_WEIGHTS = {5, 4, 9, 22, 60};
  private static final int MAX_ORDERS = 500;

  private final ShopParameters params;
  private final RandomGenerator random;
  private final List<Product> catalogue;
  private final ZipfDistribution popularity;
  private final GammaDistribution purchaseRate;
  private final BetaDistribution dropout;
  private final GammaDistribution spendScale;
  private final GammaDistribution spendShape;
  private final int hourTotal = java.util.Arrays.stream(HOUR_WEIGHTS).sum();

  public ShopGenerator(ShopParameters params) {
    this.params = params;
    this.random = new Well19937c(params.seed());
    this.catalogue = catalogue(params.products(), random);
    this.popularity = new ZipfDistribution(random, params.products(), params.zipfExponent());
    this.purchaseRate = new GammaDistribution(random, params.r(), 1 / params.alpha());
    this.dropout = new BetaDistribution(random, params.a(), params.b());
    this.spendScale = new GammaDistribution(random, params.q(), 1 / params.gamma());
    this.spendShape = new GammaDistribution(random, params.p(), 1);
  }

  public ShopParameters parameters() {
    return params;
  }

  /** The catalogue, best seller first. */
  public List<Product> catalogue() {
    return catalogue;
  }

  /** Hands every customer, in index order, to {@code sink}. Call once per generator. */
  public void generate(Consumer<ShopCustomer> sink) {
    for (int i = 0; i < params.customers(); i++) {
      sink.accept(customer(i));
    }
  }

  /** Every customer in a list (small shops: demo and tests). */
  public List<ShopCustomer> all() {
    List<ShopCustomer> all = new ArrayList<>(params.customers());
    generate(all::add);
    return all;
  }

  private ShopCustomer customer(int index) {
    String externalId = params.idPrefix() + String.format("%07d", index + 1);
    String name = name();
    String phone = ShopVocabulary.PHONE_PREFIXES[random.nextInt(ShopVocabulary.PHONE_PREFIXES.length)]
        + String.format("%08d", random.nextInt(100_000_000));
    String email = random.nextDouble() < params.emailShare() ? email(phone) : null;
    double g = random.nextDouble();
    String gender = g < 0.58 ? "female" : g < 0.96 ? "male" : null;
    LocalDate birthday = random.nextDouble() < 0.8 ? birthday() : null;
    ShopVocabulary.Region region = pickRegion();
    String city = region.cities().get(random.nextInt(region.cities().size()));
    String channel = CHANNELS[pick(CHANNEL_SHARES)];
    List<String> tags = new ArrayList<>();
    for (String[] tag : ShopVocabulary.TAGS) {
      if (random.nextDouble() < Double.parseDouble(tag[1])) {
        tags.add(tag[0]);
      }
    }
    Set<String> optOuts = new LinkedHashSet<>();
    double o = random.nextDouble();
    if (o < params.optOutRate() / 5) {
      optOuts.addAll(List.of("sms", "email", "app"));
    } else if (o < params.optOutRate() * 6 / 5) {
      optOuts.add(new String[] {"sms", "email", "app"}[random.nextInt(3)]);
    }

    double lambda = purchaseRate.sample();
    double p = dropout.sample();
    double nu = spendScale.sample();
    List<Double> times = purchaseTimes(lambda, p);
    List<ShopCustomer.Order> orders = new ArrayList<>(times.size());
    for (int k = 0; k < times.size(); k++) {
      orders.add(order(externalId, k, times.get(k), nu, channel));
    }
    List<ShopCustomer.Event> events = events(orders, times);
    return new ShopCustomer(index, externalId, name, phone, email, gender, birthday, region.province(), city, channel,
        List.copyOf(tags), Set.copyOf(optOuts), List.copyOf(orders), List.copyOf(events), lambda, p, nu);
  }

  /** Days since the period's start: the first purchase, then the repeat purchases while alive. */
  private List<Double> purchaseTimes(double lambda, double p) {
    int days = params.days();
    List<Double> times = new ArrayList<>();
    double t = random.nextDouble() * days;
    times.add(t);
    while (times.size() < MAX_ORDERS) {
      t += -Math.log(1 - random.nextDouble()) / lambda;
      if (t >= days) {
        break;
      }
      times.add(t);
      if (random.nextDouble() < p) {
        break;
      }
    }
    return times;
  }

  private ShopCustomer.Order order(String externalId, int k, double t, double nu, String channel) {
    OffsetDateTime at = at(t);
    double spend = spendShape.sample() / nu;
    int count = 1 + pick(new double[] {0.65, 0.25, 0.10});
    List<Product> products = new ArrayList<>(count);
    while (products.size() < count) {
      Product product = catalogue.get(popularity.sample() - 1);
      if (!products.contains(product)) {
        products.add(product);
      }
    }
    double listTotal = products.stream().mapToDouble(pr -> pr.price().doubleValue()).sum();
    int quantity = (int) Math.max(1, Math.min(20, Math.round(spend / listTotal)));
    double scale = spend / (quantity * listTotal);
    List<ShopCustomer.Item> items = new ArrayList<>(count);
    BigDecimal total = BigDecimal.ZERO;
    for (Product product : products) {
      BigDecimal unit = money(Math.max(0.01, product.price().doubleValue() * scale));
      items.add(new ShopCustomer.Item(product, quantity, unit));
      total = total.add(unit.multiply(BigDecimal.valueOf(quantity)));
    }
    double daysBeforeEnd = params.days() - t;
    String status;
    BigDecimal refund = null;
    if (random.nextDouble() < params.cancelRate()) {
      status = "cancelled";
    } else {
      status = daysBeforeEnd < 3 ? "paid" : daysBeforeEnd < 10 ? "shipped" : "completed";
      if (daysBeforeEnd >= 3 && random.nextDouble() < params.refundRate()) {
        refund = random.nextBoolean() ? total : money(total.doubleValue() * (0.2 + 0.5 * random.nextDouble()));
      }
    }
    String orderNo = externalId + "-" + String.format("%02d", k + 1);
    return new ShopCustomer.Order(orderNo, at, status, total, refund, channel, null, List.copyOf(items));
  }

  private List<ShopCustomer.Event> events(List<ShopCustomer.Order> orders, List<Double> times) {
    List<ShopCustomer.Event> events = new ArrayList<>();
    double endDay = params.days();
    for (ShopCustomer.Order order : orders) {
      boolean fullRefund = order.refund() != null && order.refund().compareTo(order.total()) == 0;
      if (order.status().equals("completed") && !fullRefund && random.nextDouble() < params.reviewRate()) {
        OffsetDateTime when = order.orderedAt().plusHours(72 + random.nextInt(12 * 24));
        if (!when.toLocalDate().isAfter(params.end())) {
          Map<String, Object> properties = new LinkedHashMap<>();
          properties.put("order_no", order.orderNo());
          properties.put("sku", order.items().get(0).product().sku());
          int rating = 1 + pick(RATING_WEIGHTS);
          properties.put("rating", rating);
          properties.put("text", ShopVocabulary.REVIEW_TEXTS[rating >= 4 ? random.nextInt(4) : 4 + random.nextInt(4)]);
          events.add(new ShopCustomer.Event("review", when, properties));
        }
      }
    }
    // cart_abandon: about one for every two orders, over the customer's active time (30 days either side).
    double from = Math.max(0, times.get(0) - 30);
    double to = Math.min(endDay - 1e-6, times.get(times.size() - 1) + 30);
    int abandons = poisson(0.5 * orders.size());
    for (int i = 0; i < abandons; i++) {
      Product product = catalogue.get(popularity.sample() - 1);
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("sku", product.sku());
      properties.put("product_name", product.name());
      properties.put("price", product.price());
      events.add(new ShopCustomer.Event("cart_abandon", at(from + random.nextDouble() * (to - from)), properties));
    }
    events.sort(java.util.Comparator.comparing(ShopCustomer.Event::occurredAt));
    return events;
  }

  /** The shop-time timestamp of day {@code t} (its whole part), at an hour drawn from the day's pattern. */
  private OffsetDateTime at(double t) {
    LocalDate day = params.start().plusDays((long) Math.floor(t));
    int x = random.nextInt(hourTotal);
    int hour = 0;
    while (x >= HOUR_WEIGHTS[hour]) {
      x -= HOUR_WEIGHTS[hour];
      hour++;
    }
    return day.atTime(hour, random.nextInt(60), random.nextInt(60)).atOffset(SHOP_OFFSET);
  }

  private String name() {
    // Skewed towards the common surnames: the square of a uniform favours the front of the list.
    double u = random.nextDouble();
    String surname = ShopVocabulary.SURNAMES[(int) (u * u * ShopVocabulary.SURNAMES.length)];
    String given = ShopVocabulary.GIVEN[random.nextInt(ShopVocabulary.GIVEN.length)];
    if (random.nextDouble() < 0.7) {
      given += ShopVocabulary.GIVEN[random.nextInt(ShopVocabulary.GIVEN.length)];
    }
    return surname + given;
  }

  private String email(String phone) {
    String domain = ShopVocabulary.MAIL_DOMAINS[random.nextInt(ShopVocabulary.MAIL_DOMAINS.length)];
    String local = domain.equals("qq.com") ? String.valueOf(10_000_000 + random.nextInt(900_000_000))
        : "u" + phone.substring(3) + (char) ('a' + random.nextInt(26));
    return local + "@" + domain;
  }

  private LocalDate birthday() {
    int age = (int) Math.max(16, Math.min(70, Math.round(31 + 9 * random.nextGaussian())));
    return params.end().minusYears(age).minusDays(random.nextInt(365));
  }

  private ShopVocabulary.Region pickRegion() {
    double[] weights = ShopVocabulary.REGIONS.stream().mapToDouble(ShopVocabulary.Region::weight).toArray();
    return ShopVocabulary.REGIONS.get(pick(weights));
  }

  /** An index drawn with the given (not necessarily normalised) weights. */
  private int pick(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = random.nextDouble() * total;
    for (int i = 0; i < weights.length - 1; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private int pick(int[] weights) {
    return pick(java.util.Arrays.stream(weights).asDoubleStream().toArray());
  }

  private int poisson(double mean) {
    // Knuth's method: means here are small (half a customer's orders).
    double limit = Math.exp(-Math.min(mean, 50));
    double product = random.nextDouble();
    int n = 0;
    while (product > limit) {
      n++;
      product *= random.nextDouble();
    }
    return n;
  }

  private static BigDecimal money(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
  }

  private static List<Product> catalogue(int size, RandomGenerator random) {
    List<Product> products = new ArrayList<>(size);
    List<ShopVocabulary.Category> categories = ShopVocabulary.CATEGORIES;
    for (int rank = 1; rank <= size; rank++) {
      ShopVocabulary.Category c = categories.get(random.nextInt(categories.size()));
      String name = c.adjectives()[random.nextInt(c.adjectives().length)] + c.nouns()[random.nextInt(c.nouns().length)];
      // List prices log-uniform in the category's range, ending in .00 or .90 as shops price them.
      double price = Math.exp(Math.log(c.minPrice()) + random.nextDouble() * Math.log(c.maxPrice() / c.minPrice()));
      BigDecimal list = BigDecimal.valueOf(Math.floor(price)).add(random.nextBoolean() ? new BigDecimal("0.90")
          : BigDecimal.ZERO).setScale(2, RoundingMode.HALF_UP);
      products.add(new Product(rank, String.format("%s-%05d", c.code(), rank), name, c.name(), list));
    }
    return List.copyOf(products);
  }
}
