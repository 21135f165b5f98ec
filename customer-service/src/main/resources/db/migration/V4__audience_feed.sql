-- The feed of campaign-service's audience read model (docs/CUSTOMERS.md, "Audience feed"): an outbox
-- written by statement-level triggers in the same transaction as every change, and drained by
-- AudienceFeedRelay. Triggers rather than calls in the code so no write path can forget it (create,
-- patch, batch upsert, tags, consent, merge, membership, delete), and statement-level with transition
-- tables so a 1,000-customer batch upsert adds its 1,000 rows in one INSERT ... SELECT.

-- One row per change: event_type null = "this customer's profile changed" (the relay sends the
-- CURRENT snapshot, so many rows of one customer collapse into one item); otherwise a behaviour
-- event (type, occurred_at) to send as it is. Rows are deleted once campaign-service answered 2xx,
-- or parked (parked_at, error) when it refused them as invalid.
CREATE TABLE audience_outbox (
    tenant_id    text        NOT NULL,
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    customer_id  bigint      NOT NULL,
    event_type   text,
    occurred_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT statement_timestamp(),
    parked_at    timestamptz,
    error        text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audience_outbox_pending_idx ON audience_outbox (tenant_id, id) WHERE parked_at IS NULL;

-- customer: new rows, rows whose read-model columns (or merged_into) changed, deleted rows.
-- Phone and e-mail are not in the read model: changing them enqueues nothing.
CREATE FUNCTION audience_outbox_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audience_outbox (tenant_id, customer_id) SELECT tenant_id, id FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audience_outbox (tenant_id, customer_id)
        SELECT n.tenant_id, n.id FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
         WHERE (n.external_id, n.name, n.gender, n.birthday, n.province, n.city, n.platform, n.age_band,
                n.created_at, n.merged_into)
               IS DISTINCT FROM
               (o.external_id, o.name, o.gender, o.birthday, o.province, o.city, o.platform, o.age_band,
                o.created_at, o.merged_into);
    ELSE
        INSERT INTO audience_outbox (tenant_id, customer_id) SELECT tenant_id, id FROM old_rows;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER customer_audience_insert AFTER INSERT ON customer
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_customer();
CREATE TRIGGER customer_audience_update AFTER UPDATE ON customer
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_customer();
CREATE TRIGGER customer_audience_delete AFTER DELETE ON customer
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_customer();

-- Tables hanging off a customer (tags, consent, membership): one row per customer touched.
CREATE FUNCTION audience_outbox_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO audience_outbox (tenant_id, customer_id) SELECT DISTINCT tenant_id, customer_id FROM old_rows;
    ELSE
        INSERT INTO audience_outbox (tenant_id, customer_id) SELECT DISTINCT tenant_id, customer_id FROM new_rows;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER customer_tag_audience_insert AFTER INSERT ON customer_tag
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_touched();
CREATE TRIGGER customer_tag_audience_delete AFTER DELETE ON customer_tag
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_touched();
CREATE TRIGGER customer_consent_audience_insert AFTER INSERT ON customer_consent
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_touched();
CREATE TRIGGER customer_consent_audience_update AFTER UPDATE ON customer_consent
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_touched();
CREATE TRIGGER customer_consent_audience_delete AFTER DELETE ON customer_consent
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_touched();
CREATE TRIGGER membership_audience_insert AFTER INSERT ON membership
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_touched();

-- membership updates: only when the tier or the balance moved (spend bookkeeping alone is not sent).
CREATE FUNCTION audience_outbox_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audience_outbox (tenant_id, customer_id)
    SELECT n.tenant_id, n.customer_id FROM new_rows n
      JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.customer_id = n.customer_id
     WHERE (n.tier, n.points_balance) IS DISTINCT FROM (o.tier, o.points_balance);
    RETURN NULL;
END $$;

CREATE TRIGGER membership_audience_update AFTER UPDATE ON membership
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_membership();

-- Behaviour events: each new event, and each event a merge moved to the survivor.
CREATE FUNCTION audience_outbox_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audience_outbox (tenant_id, customer_id, event_type, occurred_at)
        SELECT tenant_id, customer_id, type, occurred_at FROM new_rows;
    ELSE
        INSERT INTO audience_outbox (tenant_id, customer_id, event_type, occurred_at)
        SELECT n.tenant_id, n.customer_id, n.type, n.occurred_at FROM new_rows n
          JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
         WHERE n.customer_id <> o.customer_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER customer_event_audience_insert AFTER INSERT ON customer_event
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_event();
CREATE TRIGGER customer_event_audience_update AFTER UPDATE ON customer_event
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_event();

-- A customer without a membership row holds the programme's lowest tier: when a programme change
-- renames that tier, those customers' tier changes too.
CREATE FUNCTION audience_outbox_program() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audience_outbox (tenant_id, customer_id)
        SELECT c.tenant_id, c.id FROM new_rows n
          JOIN customer c ON c.tenant_id = n.tenant_id AND c.merged_into IS NULL
         WHERE n.tiers -> 0 ->> 'code' IS DISTINCT FROM 'normal'
           AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.tenant_id = c.tenant_id AND m.customer_id = c.id);
    ELSE
        INSERT INTO audience_outbox (tenant_id, customer_id)
        SELECT c.tenant_id, c.id FROM new_rows n
          JOIN old_rows o ON o.tenant_id = n.tenant_id
          JOIN customer c ON c.tenant_id = n.tenant_id AND c.merged_into IS NULL
         WHERE n.tiers -> 0 ->> 'code' IS DISTINCT FROM o.tiers -> 0 ->> 'code'
           AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.tenant_id = c.tenant_id AND m.customer_id = c.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER membership_program_audience_insert AFTER INSERT ON membership_program
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_program();
CREATE TRIGGER membership_program_audience_update AFTER UPDATE ON membership_program
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_outbox_program();
