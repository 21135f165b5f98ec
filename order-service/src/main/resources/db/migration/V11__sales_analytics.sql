-- Sales analytics (com.shopcrm.order.analytics): "first paid order ever" of each buyer in a period
-- is one index probe per buyer on (tenant_id, customer_id, ordered_at); buyers still pending in
-- customer-service use orders_customer_external_idx. The period itself is a range scan of
-- orders_ordered_at_idx (tenant_id, ordered_at).
CREATE INDEX orders_customer_first_idx ON orders (tenant_id, customer_id, ordered_at) WHERE customer_id IS NOT NULL;
