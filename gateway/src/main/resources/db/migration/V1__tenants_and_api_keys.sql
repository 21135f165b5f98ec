-- The platform's registry: shops (tenants) and the API keys that act for them (ARCHITECTURE §3).
-- These rows are not a shop's data but the list of shops, so they are keyed by their own ids;
-- api_key lists are still read per tenant through (tenant_id, seq).

CREATE TABLE tenant (
    id          text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    seq         bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,  -- keyset paging order
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE api_key (
    id          uuid        PRIMARY KEY,                 -- the key's public id (the token's sub)
    seq         bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant_id   text        REFERENCES tenant (id),      -- NULL: a platform key, acting on no shop
    name        text,
    roles       text[]      NOT NULL,
    key_hash    text        NOT NULL UNIQUE,             -- hex SHA-256 of the key; the key is never stored
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE INDEX api_key_by_tenant ON api_key (tenant_id, seq);
