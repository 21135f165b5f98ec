-- Large launches run in the background (docs/CAMPAIGNS.md "Launch"): a campaign is 'launching'
-- from the request until its audience is frozen and its messages queued.
ALTER TABLE campaign DROP CONSTRAINT campaign_status_check;
ALTER TABLE campaign ADD CONSTRAINT campaign_status_check CHECK (status IN ('draft', 'launching', 'launched'));
