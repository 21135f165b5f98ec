-- Delivery of the order-event outbox to HTTP subscribers (com.shopcrm.order.events).

-- One row per configured subscriber: how far the scan of order_event has got (every event with
-- seq <= scan_seq has been delivered, skipped, parked for retry or recorded as poison), the
-- subscriber-wide back-off while it is unreachable, and a lease so that only one replica of
-- order-service dispatches to a subscriber at a time. Platform-level (not a tenant's row).
CREATE TABLE order_event_subscriber (
    subscriber       text        PRIMARY KEY,
    scan_seq         bigint      NOT NULL DEFAULT 0,
    failures         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_error       text,
    last_error_at    timestamptz,
    lease_owner      text,
    lease_until      timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Per tenant and subscriber: the last event settled for the tenant, and while a redelivery runs
-- the scan position it must catch up with (the tenant is then served from this cursor alone).
CREATE TABLE order_event_cursor (
    tenant_id        text        NOT NULL,
    subscriber       text        NOT NULL,
    delivered_seq    bigint      NOT NULL DEFAULT 0,
    replay_until     bigint,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, subscriber)
);
CREATE INDEX order_event_cursor_replay_idx ON order_event_cursor (subscriber) WHERE replay_until IS NOT NULL;

-- Per-event attempt state, only for events that did not go through on their turn: 'pending'
-- (retried with exponential back-off; later events of the same customer wait behind it) and
-- 'poison' (the subscriber refused it with a 4xx: recorded, skipped, listed for the admin).
CREATE TABLE order_event_delivery (
    tenant_id        text        NOT NULL,
    subscriber       text        NOT NULL,
    seq              bigint      NOT NULL,
    event_id         uuid        NOT NULL,
    customer_key     text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'poison')),
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_status      int,
    last_error       text,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subscriber, seq)
);
CREATE INDEX order_event_delivery_pending_idx ON order_event_delivery (subscriber, tenant_id, customer_key, seq)
    WHERE status = 'pending';

-- Replay from a point in time: GET /api/v1/orders/events?from= seeks by occurred_at.
CREATE INDEX order_event_occurred_idx ON order_event (tenant_id, occurred_at, seq);
