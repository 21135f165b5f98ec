-- Automatic triggers (docs/CAMPAIGNS.md, "Triggers"): flows that fire per customer and occasion,
-- writing into the same message outbox and coupon table as campaign launches.

-- scoring-service pushes the expected next order date (repurchase reminder) through the profile sync.
ALTER TABLE audience_profile ADD COLUMN expected_next_order_at timestamptz;
CREATE INDEX audience_profile_next_order_idx ON audience_profile (tenant_id, expected_next_order_at);
-- birthday triggers look customers up by month and day (MMDD as a number)
CREATE INDEX audience_profile_birthday_idx
    ON audience_profile (tenant_id, ((date_part('month', birthday) * 100 + date_part('day', birthday))::int));

-- Order events carry when they happened: cart abandonment (no order within N hours) and review
-- requests (N days after completion) are evaluated against them.
ALTER TABLE campaign_order_event ADD COLUMN occurred_at timestamptz;
CREATE INDEX campaign_order_event_customer_idx ON campaign_order_event (tenant_id, customer_id, occurred_at);
CREATE INDEX campaign_order_event_type_idx ON campaign_order_event (tenant_id, type, occurred_at);

-- A trigger: kind, wait, condition (optional segment), message per channel, optional offer.
-- active_since: occasions that became due before it (created or last re-enabled) are skipped.
CREATE TABLE campaign_trigger (
    tenant_id        text        NOT NULL,
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    name             text        NOT NULL,
    kind             text        NOT NULL
                     CHECK (kind IN ('birthday', 'cart_abandon', 'win_back', 'review_request', 'repurchase')),
    enabled          boolean     NOT NULL DEFAULT true,
    settings         jsonb       NOT NULL,   -- the whole definition as the API shows it
    active_since     timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX campaign_trigger_enabled_idx ON campaign_trigger (enabled, tenant_id, id);

-- Win-back: the customers currently in the trigger's state (at risk / p_alive low) and since when;
-- leaving deletes the row, so the next entry is a new occasion.
CREATE TABLE trigger_state (
    tenant_id    text        NOT NULL,
    trigger_id   bigint      NOT NULL,
    customer_id  bigint      NOT NULL,
    entered_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, trigger_id, customer_id)
);

-- What fired for whom and for which occasion: the primary key is the never-twice guarantee.
CREATE TABLE trigger_firing (
    tenant_id          text        NOT NULL,
    trigger_id         bigint      NOT NULL,
    customer_id        bigint      NOT NULL,
    occasion           text        NOT NULL,
    id                 bigint      GENERATED ALWAYS AS IDENTITY,
    fired_at           timestamptz NOT NULL,
    suppressed_reason  text        CHECK (suppressed_reason IN ('consent', 'frequency_cap')),
    send_at            timestamptz NOT NULL,
    quiet_delayed      boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, trigger_id, customer_id, occasion)
);
CREATE UNIQUE INDEX trigger_firing_id_idx ON trigger_firing (tenant_id, trigger_id, id);

-- Messages and coupons come from a campaign or from a trigger.
ALTER TABLE campaign_message ALTER COLUMN campaign_id DROP NOT NULL;
ALTER TABLE campaign_message ADD COLUMN trigger_id bigint;
ALTER TABLE campaign_message ADD COLUMN occasion text;
-- delivery attempts of external adapters (transient failures are retried, docs/CAMPAIGNS.md)
ALTER TABLE campaign_message ADD COLUMN attempts int NOT NULL DEFAULT 0;
ALTER TABLE campaign_message ADD CONSTRAINT campaign_message_source_chk
    CHECK ((campaign_id IS NULL) <> (trigger_id IS NULL));
CREATE INDEX campaign_message_trigger_idx ON campaign_message (tenant_id, trigger_id, customer_id)
    WHERE trigger_id IS NOT NULL;

ALTER TABLE sink_message ALTER COLUMN campaign_id DROP NOT NULL;
ALTER TABLE sink_message ADD COLUMN trigger_id bigint;
CREATE INDEX sink_message_trigger_idx ON sink_message (tenant_id, trigger_id, message_id)
    WHERE trigger_id IS NOT NULL;

ALTER TABLE campaign_coupon ALTER COLUMN campaign_id DROP NOT NULL;
ALTER TABLE campaign_coupon ADD COLUMN trigger_id bigint;
ALTER TABLE campaign_coupon ADD COLUMN occasion text;
CREATE UNIQUE INDEX campaign_coupon_trigger_idx ON campaign_coupon (tenant_id, trigger_id, customer_id, occasion)
    WHERE trigger_id IS NOT NULL;
