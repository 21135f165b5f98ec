package com.shopcrm.order.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An order's lifecycle: created → paid → shipped → completed; created/paid → cancelled;
 * paid/shipped/completed → partially_refunded/refunded through refunds only.
 */
public enum OrderStatus {
  @JsonProperty("created") CREATED,
  @JsonProperty("paid") PAID,
  @JsonProperty("shipped") SHIPPED,
  @JsonProperty("completed") COMPLETED,
  @JsonProperty("cancelled") CANCELLED,
  @JsonProperty("refunded") REFUNDED,
  @JsonProperty("partially_refunded") PARTIALLY_REFUNDED;

  /** Changes allowed through {@code POST /orders/{id}/status}. */
  private static final Map<OrderStatus, Set<OrderStatus>> NEXT = Map.of(
      CREATED, EnumSet.of(PAID, CANCELLED),
      PAID, EnumSet.of(SHIPPED, CANCELLED),
      SHIPPED, EnumSet.of(COMPLETED),
      COMPLETED, EnumSet.noneOf(OrderStatus.class),
      CANCELLED, EnumSet.noneOf(OrderStatus.class),
      REFUNDED, EnumSet.noneOf(OrderStatus.class),
      PARTIALLY_REFUNDED, EnumSet.noneOf(OrderStatus.class));

  /** Statuses an order may be refunded from (money was paid and not all of it returned). */
  public static final Set<OrderStatus> REFUNDABLE = EnumSet.of(PAID, SHIPPED, COMPLETED, PARTIALLY_REFUNDED);

  /** Statuses an order may be created with; refunded states come from refunds only. */
  public static final Set<OrderStatus> INITIAL = EnumSet.of(CREATED, PAID, SHIPPED, COMPLETED, CANCELLED);

  /** By wire name; looked up for every imported row, so built once. */
  private static final Map<String, OrderStatus> BY_WIRE = Arrays.stream(values())
      .collect(java.util.stream.Collectors.toUnmodifiableMap(OrderStatus::wire, s -> s));

  private final String wire = name().toLowerCase(java.util.Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static OrderStatus fromWire(String value) {
    return value == null ? null : BY_WIRE.get(value);
  }

  public boolean canChangeTo(OrderStatus next) {
    return NEXT.get(this).contains(next);
  }

  /** The outbox event a change to this status emits, or null (shipped emits none). */
  public String eventType() {
    return switch (this) {
      case PAID -> "order.paid";
      case COMPLETED -> "order.completed";
      case CANCELLED -> "order.cancelled";
      case REFUNDED, PARTIALLY_REFUNDED -> "order.refunded";
      default -> null;
    };
  }

  public static String wireList() {
    return String.join(", ", Arrays.stream(values()).map(OrderStatus::wire).toList());
  }
}
