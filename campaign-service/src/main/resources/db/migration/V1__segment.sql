-- Segments of a shop: a name and a rule in the fixed JSON form of ARCHITECTURE §4.
CREATE TABLE segment (
    tenant_id   text        NOT NULL,
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    name        text        NOT NULL,
    rule        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
