package com.shopcrm.order;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * One order of a shop. The table's key is {@code (tenant_id, id)}; {@code id} comes from an
 * identity column, so it is unique on its own and serves as the entity id, while every query
 * still names the tenant.
 */
@Entity(name = "ShopOrder") // "Order" is a query-language keyword
@Table(name = "orders")
public class Order {

  @Column(name = "tenant_id", nullable = false, updatable = false)
  public String tenantId;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "order_no", nullable = false)
  public String orderNo;

  @Column(name = "customer_external_id")
  public String customerExternalId;

  @Column(name = "ordered_at", nullable = false)
  public OffsetDateTime orderedAt;

  @Column(name = "total_amount", nullable = false, precision = 14, scale = 2)
  public BigDecimal totalAmount;

  @Column(nullable = false)
  public String status;

  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  public OffsetDateTime createdAt;
}
