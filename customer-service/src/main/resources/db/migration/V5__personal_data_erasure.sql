-- Personal-data erasure (docs/PRIVACY.md): one row per erased customer, written in the same
-- transaction as customer-service's own erasure, and one step per service, which ErasureRelay drives
-- until every service has acknowledged (at least once, with back-off while a service is down).
-- This is the audit trail: who asked, when, and what each service answered. It holds no personal
-- data once completed: the identities the other services need to find not-yet-resolved orders are
-- kept only while the request is pending.

CREATE TABLE customer_erasure (
    tenant_id     text        NOT NULL,
    customer_id   bigint      NOT NULL,   -- the id the request named (ids are never reused)
    customer_ids  bigint[]    NOT NULL,   -- it and the profiles that had been merged into it
    identities    jsonb,                  -- [{platform, external_id}] while pending; NULL once completed
    requested_by  text        NOT NULL,   -- sub of the caller's token (the API key's id)
    requested_at  timestamptz NOT NULL,
    status        text        NOT NULL CHECK (status IN ('pending', 'completed')),
    completed_at  timestamptz,
    PRIMARY KEY (tenant_id, customer_id)
);

CREATE TABLE customer_erasure_step (
    tenant_id        text        NOT NULL,
    customer_id      bigint      NOT NULL,
    service          text        NOT NULL
                     CHECK (service IN ('customer-service', 'order-service', 'scoring-service', 'campaign-service')),
    status           text        NOT NULL CHECK (status IN ('pending', 'completed')),
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_error       text,
    outcome          jsonb,       -- the service's answer (what it changed)
    completed_at     timestamptz,
    PRIMARY KEY (tenant_id, customer_id, service),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer_erasure (tenant_id, customer_id)
);
-- the relay's scan: due steps across tenants
CREATE INDEX customer_erasure_step_due_idx ON customer_erasure_step (next_attempt_at) WHERE status = 'pending';
