-- Campaigns (docs/CAMPAIGNS.md): the definition, the frozen audience with its arms and
-- suppressions, coupons, the message outbox, the local sink, and attribution of order events.
CREATE TABLE campaign (
    tenant_id                text        NOT NULL,
    id                       bigint      GENERATED ALWAYS AS IDENTITY,
    name                     text        NOT NULL,
    goal                     text,
    segment_id               bigint      NOT NULL,
    channels                 text[]      NOT NULL,
    variants                 jsonb       NOT NULL,   -- [{name, weight, message: {sms, email_subject, email_body, app}}]
    control_pct              int         NOT NULL CHECK (control_pct BETWEEN 0 AND 50),
    attribution_window_days  int         NOT NULL,
    offer                    jsonb,
    cost_per_message         jsonb       NOT NULL DEFAULT '{}',
    schedule_at              timestamptz,            -- null: send at launch
    status                   text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'launched')),
    launched_at              timestamptz,
    send_at                  timestamptz,            -- when the messages go out (quiet hours moved)
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- The audience frozen at launch: every segment member, its arm ('control' or a variant name),
-- why it was suppressed (consent, frequency_cap; null = kept) and whether quiet hours delayed it.
CREATE TABLE campaign_recipient (
    tenant_id          text    NOT NULL,
    campaign_id        bigint  NOT NULL,
    customer_id        bigint  NOT NULL,
    arm                text    NOT NULL,
    suppressed_reason  text    CHECK (suppressed_reason IN ('consent', 'frequency_cap')),
    quiet_delayed      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, campaign_id, customer_id)
);
CREATE INDEX campaign_recipient_customer_idx ON campaign_recipient (tenant_id, customer_id);

-- One unique code per messaged recipient of a coupon offer; redeemed at most once, by its owner.
CREATE TABLE campaign_coupon (
    tenant_id          text          NOT NULL,
    code               text          NOT NULL,
    campaign_id        bigint        NOT NULL,
    customer_id        bigint        NOT NULL,
    face_value         numeric(14, 2) NOT NULL DEFAULT 0,
    min_spend          numeric(14, 2),
    redeemed_at        timestamptz,
    redeemed_order_no  text,
    PRIMARY KEY (tenant_id, code),
    UNIQUE (tenant_id, campaign_id, customer_id)
);

-- The message outbox: queued -> sent | failed. The dispatcher claims due rows with
-- FOR UPDATE SKIP LOCKED and moves them in the same transaction as the adapter's send.
CREATE TABLE campaign_message (
    tenant_id     text        NOT NULL,
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    campaign_id   bigint      NOT NULL,
    customer_id   bigint      NOT NULL,
    arm           text        NOT NULL,
    channel       text        NOT NULL CHECK (channel IN ('sms', 'email', 'app')),
    subject       text,
    body          text        NOT NULL,
    coupon_code   text,
    status        text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    scheduled_at  timestamptz NOT NULL,
    sent_at       timestamptz,
    error         text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX campaign_message_due_idx ON campaign_message (channel, scheduled_at, id) WHERE status = 'queued';
CREATE INDEX campaign_message_customer_idx ON campaign_message (tenant_id, customer_id, scheduled_at);
CREATE INDEX campaign_message_campaign_idx ON campaign_message (tenant_id, campaign_id, status);

-- What the default LocalSinkAdapter "delivered": one row per message, never two.
CREATE TABLE sink_message (
    tenant_id     text        NOT NULL,
    message_id    bigint      NOT NULL,
    campaign_id   bigint      NOT NULL,
    customer_id   bigint      NOT NULL,
    arm           text        NOT NULL,
    channel       text        NOT NULL,
    subject       text,
    body          text        NOT NULL,
    coupon_code   text,
    delivered_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX sink_message_campaign_idx ON sink_message (tenant_id, campaign_id, message_id);

-- Order events received (idempotency by event_id) and what they did.
CREATE TABLE campaign_order_event (
    tenant_id      text        NOT NULL,
    event_id       text        NOT NULL,
    type           text        NOT NULL,
    customer_id    bigint,
    order_no       text,
    conversions    int         NOT NULL DEFAULT 0,
    coupon_outcome text,        -- redeemed | unknown_code | not_owner | already_redeemed | below_min_spend
    received_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);

-- A paid/completed order of a recipient within the attribution window; once per order and campaign.
CREATE TABLE campaign_conversion (
    tenant_id    text           NOT NULL,
    campaign_id  bigint         NOT NULL,
    order_no     text           NOT NULL,
    customer_id  bigint         NOT NULL,
    revenue      numeric(14, 2) NOT NULL,
    occurred_at  timestamptz    NOT NULL,
    PRIMARY KEY (tenant_id, campaign_id, order_no)
);
CREATE INDEX campaign_conversion_customer_idx ON campaign_conversion (tenant_id, campaign_id, customer_id);
