-- Bulk imports of platform order exports (POST /api/v1/orders/imports) and anonymous orders.

-- An anonymised export (no buyer column) imports its orders without a buyer: they count in sales
-- analytics, never in a customer's profile or scores.
ALTER TABLE orders ADD COLUMN anonymous boolean NOT NULL DEFAULT false;

-- One import job. Progress is committed in the same transaction as each chunk of orders, so
-- after a restart the job resumes exactly after the last committed chunk (committed_line) from its
-- spool file, or fails saying so when the spool file is gone.
CREATE TABLE order_import (
    tenant_id         text        NOT NULL,
    id                uuid        NOT NULL,
    format            text        NOT NULL CHECK (format IN ('generic', 'taobao')),
    status            text        NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    charset           text        NOT NULL,
    rows_total        bigint      NOT NULL DEFAULT 0,
    rows_imported     bigint      NOT NULL DEFAULT 0,
    rows_duplicate    bigint      NOT NULL DEFAULT 0,
    rows_rejected     bigint      NOT NULL DEFAULT 0,
    orders_imported   bigint      NOT NULL DEFAULT 0,
    -- the first rejected rows, [{line, reason}] (capped; rows_rejected counts all)
    errors            jsonb       NOT NULL DEFAULT '[]',
    bytes_total       bigint      NOT NULL,
    bytes_read        bigint      NOT NULL DEFAULT 0,
    spool_path        text,
    -- physical line (1-based, header = 1) of the first row not yet committed; 2 = nothing done
    committed_line    bigint      NOT NULL DEFAULT 2,
    chunks_committed  int         NOT NULL DEFAULT 0,
    failure           text,
    created_by        text,
    created_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- startup looks for unfinished jobs across tenants
CREATE INDEX order_import_unfinished_idx ON order_import (status) WHERE status IN ('queued', 'running');
