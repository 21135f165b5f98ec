-- Orders of a shop. Every table leads with tenant_id (ARCHITECTURE §6); an order number is
-- unique within its shop, which is what makes re-imports and retries write nothing twice.
CREATE TABLE orders (
    tenant_id             text          NOT NULL,
    id                    bigint        GENERATED ALWAYS AS IDENTITY,
    order_no              text          NOT NULL,
    customer_external_id  text,
    ordered_at            timestamptz   NOT NULL,
    total_amount          numeric(14,2) NOT NULL CHECK (total_amount >= 0),
    status                text          NOT NULL DEFAULT 'completed',
    created_at            timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT orders_order_no_unique UNIQUE (tenant_id, order_no)
);
