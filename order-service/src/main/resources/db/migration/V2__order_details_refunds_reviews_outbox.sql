-- Orders in full: buyer resolution, amounts, lifecycle; line items, refunds, reviews, the
-- order-event outbox and the Idempotency-Key store. Every table leads with tenant_id.

ALTER TABLE orders
    ADD COLUMN customer_platform  text          NOT NULL DEFAULT 'own_site'
               CHECK (customer_platform IN ('taobao', 'tmall', 'jd', 'own_site', 'offline')),
    -- customer-service's id of the buyer; null while customer_pending (customer-service was down)
    ADD COLUMN customer_id        bigint,
    ADD COLUMN customer_pending   boolean       NOT NULL DEFAULT false,
    ADD COLUMN customer_error     text,          -- customer-service refused the buyer (permanent)
    ADD COLUMN customer_name      text,
    ADD COLUMN customer_phone     text,
    ADD COLUMN customer_email     text,
    ADD COLUMN province           text,
    ADD COLUMN city               text,
    ADD COLUMN discount_amount    numeric(14,2) NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    ADD COLUMN shipping_fee       numeric(14,2) NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
    ADD COLUMN refunded_amount    numeric(14,2) NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
    ADD COLUMN coupon_code        text,
    ADD COLUMN channel            text,
    ADD COLUMN paid_at            timestamptz,
    ADD COLUMN updated_at         timestamptz,
    -- SHA-256 of the order as first submitted: the same order_no again with the same content is a
    -- replay (200), with other content a conflict (409)
    ADD COLUMN content_hash       text,
    ADD CONSTRAINT orders_status_check CHECK (status IN
        ('created', 'paid', 'shipped', 'completed', 'cancelled', 'refunded', 'partially_refunded')),
    ADD CONSTRAINT orders_refund_within_total CHECK (refunded_amount <= total_amount);

CREATE INDEX orders_customer_external_idx ON orders (tenant_id, customer_external_id, ordered_at);
CREATE INDEX orders_customer_id_idx ON orders (tenant_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_ordered_at_idx ON orders (tenant_id, ordered_at);
CREATE INDEX orders_customer_pending_idx ON orders (tenant_id, id) WHERE customer_pending;

CREATE TABLE order_item (
    tenant_id     text          NOT NULL,
    order_id      bigint        NOT NULL,
    line_no       int           NOT NULL,
    sku           text          NOT NULL,
    product_name  text,
    category      text,
    quantity      int           NOT NULL CHECK (quantity > 0),
    unit_price    numeric(14,2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (tenant_id, order_id, line_no),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE order_refund (
    tenant_id     text          NOT NULL,
    id            bigint        GENERATED ALWAYS AS IDENTITY,
    order_id      bigint        NOT NULL,
    type          text          NOT NULL CHECK (type IN ('refund', 'return')),
    amount        numeric(14,2) NOT NULL CHECK (amount > 0),
    reason        text          NOT NULL,
    items         jsonb,
    created_at    timestamptz   NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX order_refund_order_idx ON order_refund (tenant_id, order_id, id);

-- At most one first review and one follow-up per order (the service checks the 30-day window).
CREATE TABLE order_review (
    tenant_id     text          NOT NULL,
    id            bigint        GENERATED ALWAYS AS IDENTITY,
    order_id      bigint        NOT NULL,
    rating        int           NOT NULL CHECK (rating BETWEEN 1 AND 5),
    text          text,
    follow_up     boolean       NOT NULL,
    created_at    timestamptz   NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT order_review_once UNIQUE (tenant_id, order_id, follow_up),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);

-- Transactional outbox: written in the same transaction as the change it reports. Delivery to
-- subscribers reads it by seq; GET /api/v1/orders/events replays it per tenant.
CREATE TABLE order_event (
    tenant_id             text        NOT NULL,
    seq                   bigint      GENERATED ALWAYS AS IDENTITY,
    event_id              uuid        NOT NULL UNIQUE,
    type                  text        NOT NULL CHECK (type IN
                          ('order.created', 'order.paid', 'order.completed', 'order.cancelled', 'order.refunded')),
    order_id              bigint      NOT NULL,
    order_no              text        NOT NULL,
    customer_id           bigint,
    customer_external_id  text,
    occurred_at           timestamptz NOT NULL,
    payload               jsonb       NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX order_event_seq_idx ON order_event (seq);

-- Idempotency-Key store of com.shopcrm.common.idempotency.IdempotentWrites (DDL from its javadoc).
CREATE TABLE idempotency_key (
    tenant_id        text        NOT NULL,
    idempotency_key  text        NOT NULL,
    operation        text        NOT NULL,
    request_hash     text        NOT NULL,
    status           int,
    response_body    text,
    location         text,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (tenant_id, created_at);
