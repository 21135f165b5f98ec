-- Segments: a description, the ids of the segments a rule references (to refuse deleting a
-- referenced segment and to detect cycles without parsing every rule), and a change time.
ALTER TABLE segment ADD COLUMN description text;
ALTER TABLE segment ADD COLUMN refs bigint[] NOT NULL DEFAULT '{}';
ALTER TABLE segment ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The audience READ MODEL (docs/SEGMENTS.md): one row per customer, pushed by the services that own
-- the fields (customer-service: attributes, tags, consent, membership; scoring-service: RFM,
-- lifecycle, predictions). No phone, no e-mail: segments never need them and previews stay PII-light.
CREATE TABLE audience_profile (
    tenant_id           text        NOT NULL,
    customer_id         bigint      NOT NULL,
    external_id         text,
    name                text,
    gender              text,
    birthday            date,
    province            text,
    city                text,
    platform            text,
    age_band            text,
    created_at          timestamptz,
    tags                text[]      NOT NULL DEFAULT '{}',
    consent_sms         boolean,
    consent_email       boolean,
    consent_app         boolean,
    points_balance      bigint,
    tier                text,
    rfm_segment         text,
    rfm11               text,
    lifecycle_stage     text,
    p_alive             numeric,
    predicted_clv_365d  numeric(14, 2),
    frequency           integer,
    monetary            numeric(14, 2),
    recency_days        integer,
    last_order_at       timestamptz,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX audience_profile_tags_idx ON audience_profile USING gin (tags);
CREATE INDEX audience_profile_rfm_idx ON audience_profile (tenant_id, rfm_segment);
CREATE INDEX audience_profile_lifecycle_idx ON audience_profile (tenant_id, lifecycle_stage);
CREATE INDEX audience_profile_city_idx ON audience_profile (tenant_id, city);
CREATE INDEX audience_profile_clv_idx ON audience_profile (tenant_id, predicted_clv_365d);
CREATE INDEX audience_profile_p_alive_idx ON audience_profile (tenant_id, p_alive);
CREATE INDEX audience_profile_last_order_idx ON audience_profile (tenant_id, last_order_at);

-- Behaviour events for "event.<type>" predicates; one row per (customer, type, instant), so a
-- re-sent batch inserts nothing twice.
CREATE TABLE audience_event (
    tenant_id    text        NOT NULL,
    customer_id  bigint      NOT NULL,
    type         text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, type, occurred_at)
);
CREATE INDEX audience_event_type_idx ON audience_event (tenant_id, type, occurred_at, customer_id);

-- Current members of saved segments, kept fresh after every sync.
CREATE TABLE segment_member (
    tenant_id    text        NOT NULL,
    segment_id   bigint      NOT NULL,
    customer_id  bigint      NOT NULL,
    entered_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, segment_id, customer_id)
);
CREATE INDEX segment_member_customer_idx ON segment_member (tenant_id, customer_id);

-- Outbox of membership changes (segment.entered / segment.exited): the source of
-- "entered segment" triggers. published_at is set by the consumer that relays them.
CREATE TABLE segment_membership_event (
    tenant_id     text        NOT NULL,
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    segment_id    bigint      NOT NULL,
    customer_id   bigint      NOT NULL,
    type          text        NOT NULL CHECK (type IN ('segment.entered', 'segment.exited')),
    occurred_at   timestamptz NOT NULL,
    published_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX segment_membership_event_pending_idx ON segment_membership_event (tenant_id, id)
    WHERE published_at IS NULL;

-- The shared idempotency mechanism (common IdempotentWrites).
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
