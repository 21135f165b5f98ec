-- Budgets, recurring campaigns and their runs (docs/CAMPAIGNS.md "Budget" and "Recurring").
--
-- budget: the most the campaign may cost (messages at cost_per_message + coupon face values), for a
-- recurring campaign across all its runs; committed_cost: the worst-case spend a launch reserved (every
-- kept message sent, every issued coupon redeemed), so launches never overspend.
-- A recurring campaign is 'scheduled' after its launch: every run is a campaign row of its own
-- (parent_id, run_no), launched like any other; the parent ends 'completed' (until / max_runs reached,
-- budget spent) or 'stopped' (by the merchant).
ALTER TABLE campaign
    ADD COLUMN budget          numeric(14, 2),
    ADD COLUMN committed_cost  numeric(14, 2) NOT NULL DEFAULT 0,
    ADD COLUMN recurrence      jsonb,           -- {every, until, max_runs, new_members_only}
    ADD COLUMN next_run_at     timestamptz,
    ADD COLUMN runs            int            NOT NULL DEFAULT 0,
    ADD COLUMN parent_id       bigint,
    ADD COLUMN run_no          int,
    ADD COLUMN ended_reason    text;

ALTER TABLE campaign DROP CONSTRAINT campaign_status_check;
ALTER TABLE campaign ADD CONSTRAINT campaign_status_check
    CHECK (status IN ('draft', 'launching', 'launched', 'scheduled', 'completed', 'stopped'));
CREATE UNIQUE INDEX campaign_run_idx ON campaign (tenant_id, parent_id, run_no) WHERE parent_id IS NOT NULL;

ALTER TABLE campaign_recipient DROP CONSTRAINT campaign_recipient_suppressed_reason_check;
ALTER TABLE campaign_recipient ADD CONSTRAINT campaign_recipient_suppressed_reason_check
    CHECK (suppressed_reason IN ('consent', 'frequency_cap', 'budget'));

-- Messages of a new_product offer wait as 'pending' until their products are chosen (ProductPicker),
-- then are 'queued' for the dispatcher like any other.
ALTER TABLE campaign_message DROP CONSTRAINT campaign_message_status_check;
ALTER TABLE campaign_message ADD CONSTRAINT campaign_message_status_check
    CHECK (status IN ('pending', 'queued', 'sent', 'failed'));
CREATE INDEX campaign_message_pending_idx ON campaign_message (tenant_id, campaign_id, id) WHERE status = 'pending';

-- "entered segment" triggers (docs/CAMPAIGNS.md, "Triggers"): each segment.entered event of the trigger's
-- segment is an occasion; found by segment and time.
ALTER TABLE campaign_trigger DROP CONSTRAINT campaign_trigger_kind_check;
ALTER TABLE campaign_trigger ADD CONSTRAINT campaign_trigger_kind_check
    CHECK (kind IN ('birthday', 'cart_abandon', 'win_back', 'review_request', 'repurchase', 'entered_segment'));
CREATE INDEX segment_membership_event_entered_idx ON segment_membership_event (tenant_id, segment_id, occurred_at)
    WHERE type = 'segment.entered';

-- A refund or cancellation reverses the order's conversions (docs/CAMPAIGNS.md, "Attribution").
CREATE INDEX campaign_conversion_order_idx ON campaign_conversion (tenant_id, order_no);
