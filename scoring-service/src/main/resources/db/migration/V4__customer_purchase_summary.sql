-- Per-customer purchase totals over ALL counted facts, kept exact by statement-level triggers on
-- purchase_fact (every writer: order events, resync, bulk loads, erasure), so a full scoring run
-- without calibration_end (and with no counted purchase after its as_of) reads one row per customer
-- instead of aggregating every order (ScoringRunner, CustomerTotalsRepository).
--
-- The values are exactly what the run's aggregate gives: purchase days = distinct calendar days
-- with counted orders; a day's value = sum(value - refunded) of its counted orders as float8;
-- total_value = sum of the days' values, repeat_value = sum of the days after the first, both added
-- in day order (the same SQL as the run's aggregate, so the same doubles bit for bit).
CREATE TABLE customer_purchase_summary (
    tenant_id      text             NOT NULL,
    customer_id    bigint           NOT NULL,
    purchase_days  integer          NOT NULL,
    first_day      date             NOT NULL,
    last_day       date             NOT NULL,
    total_value    double precision NOT NULL,
    repeat_value   double precision NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);

-- Recomputes the summaries of the given (tenant, customer) pairs from their facts. First every
-- pair's row is created or locked (a placeholder that never outlives the transaction), so two
-- transactions touching the same customer take turns; the recomputation is a later statement,
-- which in READ COMMITTED sees the facts the other one committed.
CREATE FUNCTION refresh_customer_purchase_summary(tenants text[], customers bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_purchase_summary AS s
           (tenant_id, customer_id, purchase_days, first_day, last_day, total_value, repeat_value)
    SELECT t.tenant_id, t.customer_id, 0, DATE '1970-01-01', DATE '1970-01-01', 0, 0
      FROM unnest(tenants, customers) AS t(tenant_id, customer_id)
     ORDER BY t.tenant_id, t.customer_id
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET purchase_days = 0;

    UPDATE customer_purchase_summary s
       SET purchase_days = a.days, first_day = a.first_day, last_day = a.last_day, total_value = a.total,
           repeat_value = a.repeat
      FROM (SELECT tenant_id, customer_id, count(*) AS days, min(purchase_day) AS first_day,
                   max(purchase_day) AS last_day, sum(v) AS total, coalesce(sum(v) FILTER (WHERE n > 1), 0) AS repeat
              FROM (SELECT tenant_id, customer_id, purchase_day, v,
                           row_number() OVER (PARTITION BY tenant_id, customer_id ORDER BY purchase_day) AS n
                      FROM (SELECT f.tenant_id, f.customer_id, f.purchase_day, sum(f.value - f.refunded)::float8 AS v
                              FROM purchase_fact f
                              JOIN unnest(tenants, customers) AS t(tenant_id, customer_id)
                                ON f.tenant_id = t.tenant_id AND f.customer_id = t.customer_id
                             WHERE f.counted
                             GROUP BY f.tenant_id, f.customer_id, f.purchase_day) per_day) numbered
             GROUP BY tenant_id, customer_id) a
     WHERE s.tenant_id = a.tenant_id AND s.customer_id = a.customer_id;

    DELETE FROM customer_purchase_summary s
     USING unnest(tenants, customers) AS t(tenant_id, customer_id)
     WHERE s.tenant_id = t.tenant_id AND s.customer_id = t.customer_id AND s.purchase_days = 0;
END
$$;

CREATE FUNCTION customer_purchase_summary_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tenants text[];
    customers bigint[];
BEGIN
    SELECT array_agg(tenant_id), array_agg(customer_id) INTO tenants, customers
      FROM (SELECT DISTINCT tenant_id, customer_id FROM new_rows WHERE customer_id IS NOT NULL) t;
    IF tenants IS NOT NULL THEN
        PERFORM refresh_customer_purchase_summary(tenants, customers);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION customer_purchase_summary_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tenants text[];
    customers bigint[];
BEGIN
    SELECT array_agg(tenant_id), array_agg(customer_id) INTO tenants, customers
      FROM (SELECT tenant_id, customer_id FROM new_rows WHERE customer_id IS NOT NULL
            UNION
            SELECT tenant_id, customer_id FROM old_rows WHERE customer_id IS NOT NULL) t;
    IF tenants IS NOT NULL THEN
        PERFORM refresh_customer_purchase_summary(tenants, customers);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION customer_purchase_summary_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tenants text[];
    customers bigint[];
BEGIN
    SELECT array_agg(tenant_id), array_agg(customer_id) INTO tenants, customers
      FROM (SELECT DISTINCT tenant_id, customer_id FROM old_rows WHERE customer_id IS NOT NULL) t;
    IF tenants IS NOT NULL THEN
        PERFORM refresh_customer_purchase_summary(tenants, customers);
    END IF;
    RETURN NULL;
END
$$;

-- Transition tables allow one event per trigger.
CREATE TRIGGER customer_purchase_summary_insert AFTER INSERT ON purchase_fact
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_purchase_summary_after_insert();
CREATE TRIGGER customer_purchase_summary_update AFTER UPDATE ON purchase_fact
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION customer_purchase_summary_after_update();
CREATE TRIGGER customer_purchase_summary_delete AFTER DELETE ON purchase_fact
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_purchase_summary_after_delete();

-- The facts already stored.
INSERT INTO customer_purchase_summary (tenant_id, customer_id, purchase_days, first_day, last_day, total_value,
                                       repeat_value)
SELECT tenant_id, customer_id, count(*), min(purchase_day), max(purchase_day), sum(v),
       coalesce(sum(v) FILTER (WHERE n > 1), 0)
  FROM (SELECT tenant_id, customer_id, purchase_day, v,
               row_number() OVER (PARTITION BY tenant_id, customer_id ORDER BY purchase_day) AS n
          FROM (SELECT tenant_id, customer_id, purchase_day, sum(value - refunded)::float8 AS v
                  FROM purchase_fact
                 WHERE counted AND customer_id IS NOT NULL
                 GROUP BY tenant_id, customer_id, purchase_day) per_day) numbered
 GROUP BY tenant_id, customer_id;
