-- Per-shop gateway settings: the browser origins allowed to call the API (CORS) and rate limits
-- that override the configured defaults (NULL: the default applies).

ALTER TABLE tenant
    ADD COLUMN cors_origins              text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN rate_limit_per_second     integer CHECK (rate_limit_per_second BETWEEN 1 AND 1000000),
    ADD COLUMN key_rate_limit_per_second integer CHECK (key_rate_limit_per_second BETWEEN 1 AND 1000000);

-- A preflight carries no key, only its Origin: which shops allow it is found through this index.
CREATE INDEX tenant_by_cors_origin ON tenant USING gin (cors_origins);
