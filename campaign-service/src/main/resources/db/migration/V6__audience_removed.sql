-- Customers deleted or merged away in customer-service (docs/SEGMENTS.md): a profile sync item
-- {customer_id, deleted: true} removes the customer's read-model rows and records it here, and later
-- profile or event items for it are ignored. Customer ids are never reused, and scoring-service keeps
-- scoring a deleted customer's orders (kept for accounting): without this its next push would bring
-- the profile back.
CREATE TABLE audience_removed (
    tenant_id    text        NOT NULL,
    customer_id  bigint      NOT NULL,
    removed_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
