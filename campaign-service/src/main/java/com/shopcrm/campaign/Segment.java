package com.shopcrm.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A named audience rule. The table's key is {@code (tenant_id, id)}; {@code id} comes from an
 * identity column, so it is unique on its own and serves as the entity id, while every query
 * still names the tenant.
 */
@Entity
@Table(name = "segment")
public class Segment {

  @Column(name = "tenant_id", nullable = false, updatable = false)
  public String tenantId;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public String name;

  /** The rule as stored JSON ({@code {"all": [...]}} etc.), kept as a tree. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, columnDefinition = "jsonb")
  public JsonNode rule;

  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  public OffsetDateTime createdAt;
}
