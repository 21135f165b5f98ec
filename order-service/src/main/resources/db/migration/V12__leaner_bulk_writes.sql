-- Bulk imports write ~500,000 orders, 1,000,000 line items and 500,000 outbox events per million
-- CSV rows; every index and constraint below was paid on each of those rows for little use
-- (bench/order-import measures it).

-- (tenant_id, customer_id) is the leading part of orders_customer_first_idx (V11), which serves
-- every lookup this one did.
DROP INDEX orders_customer_id_idx;

-- Line items are written only together with their order, in its transaction, and orders are never
-- deleted (an erased buyer's orders keep their amounts): the per-row foreign-key probe and the
-- KEY SHARE lock it takes on the order row bought nothing.
ALTER TABLE order_item DROP CONSTRAINT order_item_tenant_id_order_id_fkey;

-- Event ids are random UUIDs made by the writer and nothing looks an event up by its id (consumers
-- dedupe on their side); a unique B-tree over random keys was the costliest index of the outbox.
ALTER TABLE order_event DROP CONSTRAINT order_event_event_id_key;

-- Replay from a point in time only needs the first seq at or after an instant; occurred_at is the
-- time of writing, so it rises with the physical order of the table and a BRIN index (a few pages)
-- finds it as well as the B-tree it replaces.
DROP INDEX order_event_occurred_idx;
CREATE INDEX order_event_occurred_brin ON order_event USING brin (occurred_at);
