-- Purchased items (for recommendations), the tenant's product names, item-to-item similarities,
-- and at most one active scoring run per tenant.

-- The SKUs of each order, from the order events' payload.items (quantities of repeated SKU lines
-- summed). Replaced whenever a newer state of the order is applied; who bought it and whether it
-- counts come from purchase_fact (joined on order_no).
CREATE TABLE purchase_item (
    tenant_id  text    NOT NULL,
    order_no   text    NOT NULL,
    sku        text    NOT NULL,
    quantity   integer NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (tenant_id, order_no, sku)
);
CREATE INDEX purchase_item_sku_idx ON purchase_item (tenant_id, sku);

-- The latest product name and category seen for a SKU (recommendations show them).
CREATE TABLE product (
    tenant_id     text        NOT NULL,
    sku           text        NOT NULL,
    product_name  text,
    category      text,
    seen_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, sku)
);

-- Top-K neighbours per SKU by cosine similarity of their buyer sets (RecommendationRepository).
CREATE TABLE item_similarity (
    tenant_id  text             NOT NULL,
    sku        text             NOT NULL,
    neighbour  text             NOT NULL,
    score      double precision NOT NULL,
    co_buyers  integer          NOT NULL,
    PRIMARY KEY (tenant_id, sku, neighbour)
);

-- Best-sellers (the fallback): counted orders containing the SKU, from the same refresh.
CREATE TABLE item_popularity (
    tenant_id  text             NOT NULL,
    sku        text             NOT NULL,
    orders     integer          NOT NULL,
    share      double precision NOT NULL,
    PRIMARY KEY (tenant_id, sku)
);

CREATE TABLE recommendation_refresh (
    tenant_id     text        NOT NULL PRIMARY KEY,
    skus          integer     NOT NULL,
    pairs         integer     NOT NULL,
    refreshed_at  timestamptz NOT NULL
);

-- Runs and resyncs still queued or running while no scoring-service runs (this migration runs at
-- start) were interrupted; the same happens at every start (StaleJobRecovery).
UPDATE scoring_run SET status = 'failed', finished_at = now(),
       error = 'interrupted: scoring-service stopped while the run was ' || status
 WHERE status IN ('queued', 'running');
UPDATE resync_job SET status = 'failed', finished_at = now(),
       error = 'interrupted: scoring-service stopped while the resync was ' || status
 WHERE status IN ('queued', 'running');

-- At most one queued or running scoring run per tenant (a second POST answers 409).
CREATE UNIQUE INDEX scoring_run_one_active_idx ON scoring_run (tenant_id) WHERE status IN ('queued', 'running');
