-- Membership tiers, the points ledger and the order events they are earned from (docs/CUSTOMER_CARE.md).
-- Keys and indexes lead with tenant_id (ARCHITECTURE §6).

-- The tenant's programme: ordered tiers (jsonb list, lowest first) and the earning rules.
-- No row = the default programme of MembershipRules.defaults().
CREATE TABLE membership_program (
    tenant_id            text        NOT NULL PRIMARY KEY,
    period_days          int         NOT NULL CHECK (period_days BETWEEN 1 AND 3660),
    grace_days           int         NOT NULL CHECK (grace_days BETWEEN 0 AND 3660),
    first_order_bonus    int         NOT NULL CHECK (first_order_bonus >= 0),
    birthday_multiplier  numeric(6,2) NOT NULL CHECK (birthday_multiplier >= 1),
    tiers                jsonb       NOT NULL CHECK (jsonb_typeof(tiers) = 'array'),
    updated_at           timestamptz NOT NULL
);

-- One row per customer with a membership: the current tier and the cached balance (= the sum of
-- the ledger, kept in the same transaction; the row is also the per-customer lock that serialises
-- every ledger write). Segments can filter on tier and points_balance.
CREATE TABLE membership (
    tenant_id              text          NOT NULL,
    customer_id            bigint        NOT NULL,
    tier                   text          NOT NULL,
    points_balance         bigint        NOT NULL DEFAULT 0 CHECK (points_balance >= 0),
    lifetime_spend         numeric(14,2) NOT NULL DEFAULT 0,
    orders_completed       int           NOT NULL DEFAULT 0,
    tier_since             timestamptz   NOT NULL,
    below_threshold_since  timestamptz,   -- start of the grace period before a downgrade
    created_at             timestamptz   NOT NULL,
    updated_at             timestamptz   NOT NULL,
    PRIMARY KEY (tenant_id, customer_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX membership_tier_idx ON membership (tenant_id, tier);
CREATE INDEX membership_points_idx ON membership (tenant_id, points_balance);

-- Append-only points ledger. points is signed (earn/positive adjust > 0; redeem, reverse, expire,
-- negative adjust < 0). occurred_at is when the entry takes effect (the order's time for earn and
-- reverse), created_at when it was written. expires_at: for earn, the end of the year after the
-- earning year; for expire, the cut-off it expired.
CREATE TABLE points_ledger (
    tenant_id        text        NOT NULL,
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    customer_id      bigint      NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('earn', 'reverse', 'redeem', 'adjust', 'expire')),
    points           bigint      NOT NULL CHECK (points <> 0),
    reason           text,
    source           text,
    idempotency_key  text,
    occurred_at      timestamptz NOT NULL,
    expires_at       timestamptz,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES membership (tenant_id, customer_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX points_ledger_key_idx ON points_ledger (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX points_ledger_customer_idx ON points_ledger (tenant_id, customer_id, id DESC);
CREATE INDEX points_ledger_expiry_idx ON points_ledger (tenant_id, expires_at) WHERE kind = 'earn';

-- Spend per order (completed minus refunded): the rolling spend the tiers are measured on.
CREATE TABLE membership_spend (
    tenant_id     text          NOT NULL,
    customer_id   bigint        NOT NULL,
    order_no      text          NOT NULL,
    amount        numeric(14,2) NOT NULL,
    refunded      numeric(14,2) NOT NULL DEFAULT 0,
    points_earned bigint        NOT NULL DEFAULT 0,
    points_reversed bigint      NOT NULL DEFAULT 0,
    occurred_at   timestamptz   NOT NULL,
    PRIMARY KEY (tenant_id, order_no),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES membership (tenant_id, customer_id) ON DELETE CASCADE
);
CREATE INDEX membership_spend_customer_idx ON membership_spend (tenant_id, customer_id, occurred_at);

-- Tier changes, kept.
CREATE TABLE membership_tier_change (
    tenant_id    text        NOT NULL,
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    customer_id  bigint      NOT NULL,
    from_tier    text,
    to_tier      text        NOT NULL,
    reason       text        NOT NULL,
    rolling_spend numeric(14,2) NOT NULL,
    changed_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES membership (tenant_id, customer_id) ON DELETE CASCADE
);
CREATE INDEX membership_tier_change_customer_idx ON membership_tier_change (tenant_id, customer_id, id DESC);

-- Order events consumed (idempotent by event_id) and what they did.
CREATE TABLE membership_order_event (
    tenant_id    text        NOT NULL,
    event_id     text        NOT NULL,
    type         text        NOT NULL,
    customer_id  bigint      NOT NULL,
    order_no     text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    result       text        NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);
