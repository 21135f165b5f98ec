-- The latest score of each customer (ARCHITECTURE §4, GET /api/v1/scores/{customer_id}).
-- customer_id is customer-service's id; this service never reads that database. Model outputs
-- stay null until a scoring run has fitted the models.
CREATE TABLE customer_score (
    tenant_id               text          NOT NULL,
    customer_id             bigint        NOT NULL,
    recency_days            integer       NOT NULL CHECK (recency_days >= 0),
    frequency               integer       NOT NULL CHECK (frequency >= 0),
    monetary                numeric(14,2) NOT NULL,
    r_score                 smallint      NOT NULL CHECK (r_score BETWEEN 1 AND 5),
    f_score                 smallint      NOT NULL CHECK (f_score BETWEEN 1 AND 5),
    m_score                 smallint      NOT NULL CHECK (m_score BETWEEN 1 AND 5),
    rfm_segment             text          NOT NULL,
    lifecycle_stage         text,
    p_alive                 double precision CHECK (p_alive BETWEEN 0 AND 1),
    expected_purchases_90d  double precision,
    predicted_clv_365d      numeric(14,2),
    historical_value        numeric(14,2) NOT NULL,
    scored_at               timestamptz   NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
