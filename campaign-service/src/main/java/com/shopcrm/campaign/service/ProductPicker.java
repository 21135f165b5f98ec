package com.shopcrm.campaign.service;

import com.shopcrm.campaign.client.ProductPicks;
import com.shopcrm.campaign.config.CampaignConfig;
import com.shopcrm.campaign.model.CampaignInput.Offer;
import com.shopcrm.campaign.model.CampaignInput.Product;
import com.shopcrm.campaign.model.CampaignView;
import com.shopcrm.campaign.repository.CampaignRepository;
import com.shopcrm.campaign.repository.OutboxRepository;
import com.shopcrm.campaign.repository.OutboxRepository.Pending;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The products of a {@code new_product} offer's messages (docs/CAMPAIGNS.md, "New-product offer"): the
 * launch queues them {@code pending} with {@code {product}} / {@code {products}} unfilled; this fills
 * them with the offer's products each recipient is likeliest to buy, asked from scoring-service in
 * bulk (one call per campaign and batch), and queues them for the dispatcher — in one transaction
 * holding the claimed rows, so a message is filled once. While scoring-service does not answer, the
 * messages stay pending; after {@code crm.campaign.products.fallback-after} they name the products in
 * the offer's order, so a campaign never stalls.
 */
@ApplicationScoped
public class ProductPicker {

  private final Pool pool;
  private final OutboxRepository outbox;
  private final CampaignRepository campaigns;
  private final ProductPicks picks;
  private final CampaignConfig config;
  private final Clock clock;

  ProductPicker(Pool pool, OutboxRepository outbox, CampaignRepository campaigns, ProductPicks picks,
      CampaignConfig config, Clock clock) {
    this.pool = pool;
    this.outbox = outbox;
    this.campaigns = campaigns;
    this.picks = picks;
    this.config = config;
    this.clock = clock;
  }

  @Scheduled(identity = "campaign-product-picks", every = "${crm.campaign.products.every:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return pickPending().onFailure().invoke(failure -> Log.warnf(failure, "product picks failed, retried"))
        .onFailure().recoverWithNull().replaceWithVoid();
  }

  /** One batch of pending messages; how many were queued. */
  public Uni<Integer> pickPending() {
    return pool.withTransaction(tx -> outbox.claimPending(tx, config.products().batchSize()).flatMap(batch -> {
      Map<String, List<Pending>> byCampaign = batch.stream().collect(
          Collectors.groupingBy(m -> m.tenantId() + "/" + m.campaignId(), LinkedHashMap::new, Collectors.toList()));
      return Multi.createFrom().iterable(byCampaign.values())
          .onItem().transformToUniAndConcatenate(messages -> fill(tx, messages))
          .collect().asList()
          .map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }));
  }

  /** One campaign's messages of the batch: filled and queued, or left pending (0) while scoring-service is away. */
  private Uni<Integer> fill(SqlClient tx, List<Pending> messages) {
    String tenantId = messages.get(0).tenantId();
    long campaignId = messages.get(0).campaignId();
    return campaigns.find(tx, tenantId, campaignId, false).flatMap(found -> {
      Optional<Offer> offer = found.map(CampaignView::offer).filter(o -> o.products() != null);
      List<Product> products = offer.map(Offer::products).orElse(List.of());
      int perMessage = offer.map(Offer::perMessage).orElse(1);
      List<Long> customers = messages.stream().map(Pending::customerId).distinct().toList();
      boolean late = found.map(CampaignView::launchedAt)
          .map(at -> at.isBefore(OffsetDateTime.now(clock).minus(config.products().fallbackAfter())))
          .orElse(true);
      Uni<Map<Long, List<String>>> chosen = products.isEmpty() ? Uni.createFrom().item(Map.of())
          : picks.pick(tenantId, customers, products, perMessage);
      return chosen.onFailure().recoverWithUni(failure -> {
        if (late) {
          Log.warnf("campaign %s/%d: no product picks (%s) since %s; naming the offer's products in order", tenantId,
              campaignId, failure.toString(), config.products().fallbackAfter());
          return Uni.createFrom().item(Map.of());
        }
        Log.infof("campaign %s/%d: no product picks yet (%s); the messages wait", tenantId, campaignId, failure);
        return Uni.createFrom().nullItem();
      }).flatMap(byCustomer -> {
        if (byCustomer == null) {
          return Uni.createFrom().item(0);
        }
        List<String> inOrder = products.stream().limit(perMessage).map(Product::name).toList();
        List<Pending> rendered = new ArrayList<>();
        for (Pending m : messages) {
          List<String> names = byCustomer.getOrDefault(m.customerId(), List.of());
          names = names.isEmpty() ? inOrder : names;
          rendered.add(new Pending(m.tenantId(), m.id(), m.campaignId(), m.customerId(), render(m.subject(), names),
              render(m.body(), names)));
        }
        return outbox.queue(tx, rendered).replaceWith(rendered.size());
      });
    });
  }

  /**
   * {@code {product}}: the first name; {@code {products}}: all, joined with 、 in a Chinese text and
   * with ", " otherwise.
   */
  static String render(String text, List<String> names) {
    if (text == null) {
      return null;
    }
    String first = names.isEmpty() ? "" : names.get(0);
    String all = String.join(chinese(text) ? "、" : ", ", names);
    return text.replace(CampaignRules.PRODUCTS, all).replace(CampaignRules.PRODUCT, first);
  }

  private static boolean chinese(String text) {
    return text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }
}
