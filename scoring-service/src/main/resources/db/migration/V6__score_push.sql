-- Scores pushed to campaign-service's read model (ScorePusher), at least once, surviving a
-- campaign-service outage and a scoring-service restart.

-- Customers rescored by order events whose new score (or its absence) is still to be pushed;
-- written in the event's transaction. A row is removed once a push of it succeeded, unless the
-- customer was queued again meanwhile (queued_at changed).
CREATE TABLE score_push_outbox (
    tenant_id        text        NOT NULL,
    customer_id      bigint      NOT NULL,
    queued_at        timestamptz NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX score_push_outbox_due_idx ON score_push_outbox (next_attempt_at);

-- The push of a full run's scores: a cursor over the tenant's scores in customer id order, written
-- in the run's score transaction, pushed once the run is completed. A newer run replaces it.
CREATE TABLE score_push_run (
    tenant_id          text        NOT NULL PRIMARY KEY,
    run_id             bigint      NOT NULL,
    after_customer_id  bigint      NOT NULL,
    pushed             integer     NOT NULL DEFAULT 0,
    attempts           integer     NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz NOT NULL,
    last_error         text,
    finished_at        timestamptz
);
