-- customer_score becomes a table partitioned by tenant: a full scoring run writes the tenant's new
-- scores into a fresh table of its own (binary COPY, the primary key built once afterwards) and
-- swaps it in for the tenant's old partition (ScoreCopyWriter), instead of deleting and
-- re-inserting a million rows of a shared, indexed table. Tenants without a full run yet keep
-- their (incrementally written) scores in the DEFAULT partition: the existing table becomes it,
-- so nothing is copied here.
ALTER TABLE customer_score RENAME TO customer_score_default;
ALTER INDEX customer_score_pkey RENAME TO customer_score_default_pkey;

CREATE TABLE customer_score (
    LIKE customer_score_default INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (tenant_id, customer_id)
) PARTITION BY LIST (tenant_id);

ALTER TABLE customer_score ATTACH PARTITION customer_score_default DEFAULT;
