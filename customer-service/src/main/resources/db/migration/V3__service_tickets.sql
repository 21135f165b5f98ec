-- Service tickets with SLA clocks, their timeline and an outbox of ticket events (docs/CUSTOMER_CARE.md).

CREATE TABLE ticket (
    tenant_id                text        NOT NULL,
    id                       bigint      GENERATED ALWAYS AS IDENTITY,
    customer_id              bigint      NOT NULL,
    order_no                 text,
    channel                  text        NOT NULL
                             CHECK (channel IN ('online_chat', 'phone', 'email', 'platform_dispute')),
    categories               text[]      NOT NULL CHECK (cardinality(categories) >= 1),
    priority                 text        NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status                   text        NOT NULL
                             CHECK (status IN ('open', 'in_progress', 'waiting_customer', 'resolved', 'closed')),
    subject                  text        NOT NULL,
    description              text        NOT NULL,
    attachments              text[]      NOT NULL DEFAULT '{}',
    assignee                 text,
    first_response_due       timestamptz NOT NULL,
    resolution_due           timestamptz NOT NULL,
    first_response_at        timestamptz,
    resolved_at              timestamptz,
    closed_at                timestamptz,
    first_response_breached  boolean     NOT NULL DEFAULT false,
    resolution_breached      boolean     NOT NULL DEFAULT false,
    reopen_count             int         NOT NULL DEFAULT 0,
    satisfaction_rating      int         CHECK (satisfaction_rating BETWEEN 1 AND 5),
    satisfaction_comment     text,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ticket_status_idx ON ticket (tenant_id, status, id DESC);
CREATE INDEX ticket_customer_idx ON ticket (tenant_id, customer_id, id DESC);
CREATE INDEX ticket_assignee_idx ON ticket (tenant_id, assignee, id DESC) WHERE assignee IS NOT NULL;
CREATE INDEX ticket_categories_idx ON ticket USING gin (tenant_id, categories);
CREATE INDEX ticket_created_idx ON ticket (tenant_id, created_at);
-- The overdue scan walks the unfinished tickets by due time.
CREATE INDEX ticket_open_due_idx ON ticket (tenant_id, resolution_due)
    WHERE status NOT IN ('resolved', 'closed');

-- Everything that happened to a ticket: creation, changes, comments (public or internal), ratings.
CREATE TABLE ticket_timeline (
    tenant_id   text        NOT NULL,
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    ticket_id   bigint      NOT NULL,
    kind        text        NOT NULL,
    actor       text,
    public      boolean     NOT NULL,
    body        text,
    data        jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ticket_timeline_ticket_idx ON ticket_timeline (tenant_id, ticket_id, id);

-- Outbox of ticket events (e.g. ticket.sla_breached); a deliverer will send and mark them later.
CREATE TABLE ticket_event (
    tenant_id     text        NOT NULL,
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    ticket_id     bigint      NOT NULL,
    type          text        NOT NULL,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    delivered_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
-- One breach event per ticket and kind, even when scans overlap.
CREATE UNIQUE INDEX ticket_event_breach_idx ON ticket_event (tenant_id, ticket_id, type, (payload->>'breach'))
    WHERE type = 'ticket.sla_breached';
CREATE INDEX ticket_event_pending_idx ON ticket_event (tenant_id, id) WHERE delivered_at IS NULL;

-- The tenant's SLA policy (jsonb); no row = the defaults of SlaPolicy.defaults().
CREATE TABLE ticket_sla_policy (
    tenant_id   text        NOT NULL PRIMARY KEY,
    policy      jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL
);
