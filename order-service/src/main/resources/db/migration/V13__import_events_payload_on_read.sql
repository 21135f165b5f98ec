-- The order.created events of an import are written without their payload: per million CSV rows
-- that is 500,000 JSON documents of ~0.9 KB (≈ 500 MB of heap and WAL) built in Java and written on
-- the import's critical path (bench/order-import). Such an event keeps what can change on its order
-- afterwards (status, paid_at, refunded amount, whether its buyer was pending; customer_id is a
-- column already), and order_event_full builds the payload when the event is read (delivery,
-- replay) from the order and its items, which never change, with those values: the document the
-- import would have written (OrderView.forEvent as JSON: nulls left out, items as written).
-- An erased buyer's orders lose their PII, so payloads built afterwards carry none either.
ALTER TABLE order_event
    ALTER COLUMN payload DROP NOT NULL,
    ADD COLUMN order_status text,
    ADD COLUMN order_paid_at timestamptz,
    ADD COLUMN order_refunded_amount numeric(14,2),
    ADD COLUMN order_customer_pending boolean,
    ADD CONSTRAINT order_event_payload_or_state CHECK (payload IS NOT NULL OR order_status IS NOT NULL);

-- Every reader of events reads this view: payload is the stored one, else built (an index probe on
-- orders and one on order_item per event, computed only for the rows a query returns). Instants as
-- the services' JSON writes them: UTC, 'Z', the fraction without trailing zeros.
CREATE VIEW order_event_full AS
SELECT e.tenant_id, e.seq, e.event_id, e.type, e.order_id, e.order_no, e.customer_id, e.customer_external_id,
       e.occurred_at,
       coalesce(e.payload, (
           SELECT jsonb_strip_nulls(jsonb_build_object(
                      'id', o.id, 'order_no', o.order_no, 'customer_external_id', o.customer_external_id,
                      'customer_platform', o.customer_platform, 'customer_id', e.customer_id,
                      'customer_pending', e.order_customer_pending, 'customer_name', o.customer_name,
                      'province', o.province, 'city', o.city,
                      'ordered_at', (to_jsonb(o.ordered_at AT TIME ZONE 'UTC') #>> '{}') || 'Z',
                      'paid_at', (to_jsonb(e.order_paid_at AT TIME ZONE 'UTC') #>> '{}') || 'Z',
                      'total_amount', o.total_amount, 'discount_amount', o.discount_amount,
                      'shipping_fee', o.shipping_fee, 'refunded_amount', e.order_refunded_amount,
                      'status', e.order_status, 'coupon_code', o.coupon_code, 'channel', o.channel,
                      'created_at', (to_jsonb(o.created_at AT TIME ZONE 'UTC') #>> '{}') || 'Z',
                      'updated_at', (to_jsonb(e.occurred_at AT TIME ZONE 'UTC') #>> '{}') || 'Z'))
                  || jsonb_build_object('items', (
                      SELECT coalesce(jsonb_agg(jsonb_build_object(
                                 'line_no', i.line_no, 'sku', i.sku, 'product_name', i.product_name,
                                 'category', i.category, 'quantity', i.quantity, 'unit_price', i.unit_price)
                                 ORDER BY i.line_no), '[]')
                        FROM order_item i WHERE i.tenant_id = e.tenant_id AND i.order_id = e.order_id))
             FROM orders o WHERE o.tenant_id = e.tenant_id AND o.id = e.order_id)) AS payload
  FROM order_event e;
