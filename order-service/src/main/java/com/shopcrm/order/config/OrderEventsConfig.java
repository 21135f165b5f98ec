package com.shopcrm.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Delivery of order events ({@code crm.order.events.*}) and its subscribers
 * ({@code crm.order.subscribers.<name>.*}, see application.properties for the three defaults).
 */
@ConfigMapping(prefix = "crm.order")
public interface OrderEventsConfig {

  Events events();

  /** Subscribers by name; the name is the key of their cursor. */
  Map<String, Subscriber> subscribers();

  interface Events {
    /** How often the dispatcher runs (a Quarkus duration, or {@code off}); read by {@code @Scheduled}. */
    @WithDefault("1s")
    String every();

    /** Events read per scan and per retry pass. */
    @WithDefault("200")
    int batchSize();

    /** Customers delivered to in parallel within a batch (each customer's events one after another). */
    @WithDefault("8")
    int concurrency();

    /** Work done per subscriber and run before it yields to the next run. */
    @WithDefault("10s")
    Duration maxRunTime();

    /** First retry delay; doubled per failed attempt up to {@link #retryMax()}. */
    @WithDefault("1s")
    Duration retryInitial();

    /**
     * The longest back-off. Short enough that a subscriber that was only slow (a timeout under load
     * backs the whole subscriber off) is tried again within half a minute, not after minutes.
     */
    @WithDefault("30s")
    Duration retryMax();

    /**
     * Attempts of the first event of a scan answered with an HTTP 5xx before it is parked (retried
     * on its own, its customer's later events waiting behind it) so other customers' events move on.
     */
    @WithDefault("5")
    int headAttempts();

    /** Per-call timeout. */
    @WithDefault("5s")
    Duration timeout();

    /** How long one replica keeps the right to dispatch a subscriber without renewing it. */
    @WithDefault("60s")
    Duration lease();
  }

  interface Subscriber {
    /** Off: nothing is sent and its cursor does not move (events wait for it). */
    @WithDefault("true")
    boolean enabled();

    /** Base URL, e.g. {@code http://127.0.0.1:8083}. */
    String url();

    String path();

    /** Event types it receives; empty: all. Others are skipped (counted as settled). */
    Optional<Set<String>> types();

    /** Events without a resolved customer_id (anonymous or pending buyers) are skipped for it. */
    @WithDefault("false")
    boolean requiresCustomer();

    /**
     * Events per call for a subscriber that takes {@code {"events": [...]}} in one call (applied in
     * order, all or nothing); 1: one event per call.
     */
    @WithDefault("1")
    int batchSize();
  }
}
