-- Purchase facts (this service's read model of order-service's orders), processed order events,
-- scoring runs and the extra score columns (ARCHITECTURE §4).

-- One row per order, the latest state its events told. customer_id null = anonymous order: it
-- counts in tenant KPIs, never in a customer's score. value is total_amount, refunded the amount
-- returned; an order counts as a purchase unless cancelled or fully refunded (a zero-value
-- order without refund counts: CDNOW has such purchases).
CREATE TABLE purchase_fact (
    tenant_id             text          NOT NULL,
    order_no              text          NOT NULL,
    order_id              bigint,
    customer_id           bigint,
    customer_external_id  text,
    ordered_at            timestamptz   NOT NULL,
    purchase_day          date          NOT NULL,
    value                 numeric(14,2) NOT NULL CHECK (value >= 0),
    refunded              numeric(14,2) NOT NULL DEFAULT 0 CHECK (refunded >= 0),
    status                text          NOT NULL,
    counted               boolean       GENERATED ALWAYS AS
                          (status NOT IN ('cancelled', 'refunded') AND (refunded = 0 OR refunded < value)) STORED,
    event_seq             bigint,
    version_at            timestamptz   NOT NULL,
    updated_at            timestamptz   NOT NULL,
    PRIMARY KEY (tenant_id, order_no)
);
CREATE INDEX purchase_fact_customer_idx ON purchase_fact (tenant_id, customer_id, purchase_day)
    WHERE customer_id IS NOT NULL;
CREATE INDEX purchase_fact_day_idx ON purchase_fact (tenant_id, purchase_day);

-- Consumed order events: a redelivered event id changes nothing.
CREATE TABLE processed_event (
    tenant_id     text        NOT NULL,
    event_id      text        NOT NULL,
    order_no      text        NOT NULL,
    processed_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);

-- Scoring runs (job resource of POST /api/v1/scoring/runs). The latest completed run with a fitted
-- BG/NBD is the tenant's current model, used for incremental rescoring between runs.
CREATE TABLE scoring_run (
    id                    bigint        GENERATED ALWAYS AS IDENTITY,
    tenant_id             text          NOT NULL,
    status                text          NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    as_of                 date          NOT NULL,
    calibration_end       date,
    time_unit             text          NOT NULL CHECK (time_unit IN ('days', 'weeks')),
    clv_horizon_days      double precision NOT NULL,
    annual_discount_rate  double precision NOT NULL,
    customers_scored      integer       NOT NULL DEFAULT 0,
    customers_fitted      integer       NOT NULL DEFAULT 0,
    repeat_buyers         integer       NOT NULL DEFAULT 0,
    bgnbd                 jsonb,
    gamma_gamma           jsonb,
    rfm                   jsonb,
    typical_interval_days double precision,
    holdout               jsonb,
    notes                 jsonb,
    error                 text,
    created_at            timestamptz   NOT NULL,
    started_at            timestamptz,
    finished_at           timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX scoring_run_current_idx ON scoring_run (tenant_id, finished_at DESC) WHERE status = 'completed';

-- Order-event resync jobs (POST /api/v1/scoring/resync).
CREATE TABLE resync_job (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id        text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    after_seq        bigint      NOT NULL DEFAULT 0,
    events_received  integer     NOT NULL DEFAULT 0,
    events_applied   integer     NOT NULL DEFAULT 0,
    error            text,
    created_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);

-- Quintile scores and segments come from a run; a customer first seen between runs has none yet.
ALTER TABLE customer_score
    ALTER COLUMN r_score DROP NOT NULL,
    ALTER COLUMN f_score DROP NOT NULL,
    ALTER COLUMN m_score DROP NOT NULL,
    ALTER COLUMN rfm_segment DROP NOT NULL,
    ADD COLUMN rfm11 text,
    ADD COLUMN purchase_days integer NOT NULL DEFAULT 1,
    ADD COLUMN first_purchase_day date,
    ADD COLUMN last_purchase_day date,
    ADD COLUMN average_order_value numeric(14,2),
    ADD COLUMN expected_purchases_30d double precision,
    ADD COLUMN expected_purchases_365d double precision,
    ADD COLUMN expected_next_order_date date,
    ADD COLUMN expected_avg_order_value numeric(14,2),
    ADD COLUMN run_id bigint,
    ADD COLUMN as_of date;

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
