-- customer-service schema: customers, identities (merge), tags, behaviour events, consent,
-- idempotency keys. Every table is keyed (tenant_id, ...) and every index leads with tenant_id
-- (ARCHITECTURE §6), so the data can later be sharded by tenant.

-- pg_trgm: indexable substring search for ?q= ; btree_gin: lets that GIN index lead with tenant_id.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- One sequence for customer ids: the bulk upsert reserves ids (nextval) before it inserts rows.
CREATE SEQUENCE customer_id_seq;

CREATE TABLE customer (
    tenant_id    text        NOT NULL,
    id           bigint      NOT NULL DEFAULT nextval('customer_id_seq'),
    platform     text        NOT NULL DEFAULT 'own_site'
                 CHECK (platform IN ('taobao', 'tmall', 'jd', 'own_site', 'offline')),
    external_id  text,
    name         text        NOT NULL,
    phone        text,
    phone_norm   text,        -- digits only, +86 stripped: duplicate detection
    email        text,
    email_norm   text,        -- trimmed, lower-cased: duplicate detection
    gender       text        CHECK (gender IN ('male', 'female', 'unknown')),
    birthday     date,
    province     text,
    city         text,
    age_band     text,
    occupation   text,
    attributes   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    merged_into  bigint,      -- set when folded into another profile: the row stays as a pointer
    merged_at    timestamptz,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
ALTER SEQUENCE customer_id_seq OWNED BY customer.id;

-- ?q= (see CustomerRepository.list): the name by substring through a trigram GIN index (btree_gin
-- lets it lead with tenant_id), phone, e-mail and external id by prefix through btree pattern
-- indexes; PostgreSQL ORs the four index scans. Only the name is trigram-indexed because every
-- trigram is an index entry written on each insert and update: indexing phone, e-mail and
-- external id that way tripled the cost of the bulk upsert. The phone and e-mail indexes also
-- serve duplicate detection (equality).
CREATE INDEX customer_name_trgm_idx ON customer USING gin (tenant_id, lower(name) gin_trgm_ops)
    WHERE merged_into IS NULL;
CREATE INDEX customer_phone_idx ON customer (tenant_id, phone_norm text_pattern_ops)
    WHERE phone_norm IS NOT NULL AND merged_into IS NULL;
CREATE INDEX customer_email_idx ON customer (tenant_id, email_norm text_pattern_ops)
    WHERE email_norm IS NOT NULL AND merged_into IS NULL;
CREATE INDEX customer_external_id_idx ON customer (tenant_id, lower(external_id) text_pattern_ops)
    WHERE external_id IS NOT NULL AND merged_into IS NULL;
CREATE INDEX customer_merged_into_idx ON customer (tenant_id, merged_into)
    WHERE merged_into IS NOT NULL;

-- (platform, external_id) -> customer, unique per tenant. After a merge the loser's identities
-- point at the survivor, so lookups and bulk upserts by any of them land on the survivor.
-- The FK is deferred: the bulk upsert claims identities before it inserts the customers.
CREATE TABLE customer_identity (
    tenant_id    text        NOT NULL,
    platform     text        NOT NULL,
    external_id  text        NOT NULL,
    customer_id  bigint      NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, platform, external_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX customer_identity_customer_idx ON customer_identity (tenant_id, customer_id);

CREATE TABLE customer_tag (
    tenant_id    text        NOT NULL,
    tag          text        NOT NULL,
    customer_id  bigint      NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, tag, customer_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_tag_customer_idx ON customer_tag (tenant_id, customer_id);

CREATE TABLE customer_event (
    tenant_id    text        NOT NULL,
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    customer_id  bigint      NOT NULL,
    type         text        NOT NULL
                 CHECK (type IN ('view', 'favourite', 'cart_add', 'cart_abandon', 'consult', 'review', 'custom')),
    occurred_at  timestamptz NOT NULL,
    properties   jsonb       NOT NULL DEFAULT '{}',
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_event_customer_idx ON customer_event (tenant_id, customer_id, occurred_at DESC, id DESC);

-- Current consent per channel (absent row = no decision: contactable under the implied model).
CREATE TABLE customer_consent (
    tenant_id    text        NOT NULL,
    customer_id  bigint      NOT NULL,
    channel      text        NOT NULL CHECK (channel IN ('sms', 'email', 'app')),
    granted      boolean     NOT NULL,
    source       text,
    changed_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, channel),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id) ON DELETE CASCADE
);

-- Every consent change, kept.
CREATE TABLE consent_history (
    tenant_id    text        NOT NULL,
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    customer_id  bigint      NOT NULL,
    channel      text        NOT NULL,
    granted      boolean     NOT NULL,
    source       text,
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consent_history_customer_idx ON consent_history (tenant_id, customer_id, id DESC);

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
