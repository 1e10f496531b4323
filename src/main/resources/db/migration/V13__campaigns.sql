-- Campaigns: an audience, a channel, content variants by priority, a schedule and a conversion goal. The
-- definition is kept as validated JSON; what the workers select on has its own columns.
CREATE TABLE campaign (
    id            uuid          PRIMARY KEY,
    name          varchar(200)  NOT NULL,
    status        varchar(16)   NOT NULL CHECK (status IN ('DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED', 'COMPLETED',
                                                           'CANCELLED')),
    channel       varchar(16)   NOT NULL,
    -- higher wins when frequency caps force a choice between campaigns (ties: the older campaign)
    priority      integer       NOT NULL DEFAULT 0,
    definition    jsonb         NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    -- salts the holdout and A/B hashes; shown in the API so an assignment can be recomputed by anyone
    salt          varchar(32)   NOT NULL,
    -- a scheduled campaign's next run (send now, at a time, or the cron expression's next fire)
    next_run_at   timestamptz,
    created_at    timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL,
    version       bigint        NOT NULL DEFAULT 0
);
CREATE INDEX campaign_due_idx ON campaign (next_run_at) WHERE status = 'SCHEDULED';

-- One execution of a campaign: a batch run materialises its audience once; a run of a campaign triggered by
-- audience entry stays open and takes the entries as they come. Workers hold a run by a lease, so a run whose
-- instance dies is resumed by another.
CREATE TABLE campaign_run (
    id              uuid          PRIMARY KEY,
    campaign_id     uuid          NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    status          varchar(16)   NOT NULL CHECK (status IN ('MATERIALISING', 'SENDING', 'PAUSED', 'COMPLETED',
                                                             'CANCELLED', 'FAILED')),
    trigger         varchar(16)   NOT NULL CHECK (trigger IN ('NOW', 'AT', 'CRON', 'ENTRY')),
    audience_size   bigint,
    -- ENTRY runs: the segment changes up to this time have been taken (re-read with an overlap; the key dedupes)
    entries_until   timestamptz,
    owner           varchar(100),
    lease_until     timestamptz,
    error           varchar(1000),
    created_at      timestamptz   NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz
);
CREATE INDEX campaign_run_campaign_idx ON campaign_run (campaign_id, id);
CREATE INDEX campaign_run_open_idx ON campaign_run (created_at) WHERE status IN ('MATERIALISING', 'SENDING');

-- Every customer a run considered, and what it decided: the key makes a customer reached at most once per run
-- (per entry, for entry-triggered runs; a batch run's entries all carry the run's start).
CREATE TABLE campaign_recipient (
    run_id         uuid          NOT NULL REFERENCES campaign_run (id) ON DELETE CASCADE,
    customer_id    uuid          NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    entry_at       timestamptz   NOT NULL,
    outcome        varchar(16)   NOT NULL CHECK (outcome IN ('PENDING', 'DEFERRED', 'REACHED', 'SUPPRESSED', 'CAPPED',
                                                             'HELD_OUT', 'NO_VARIANT', 'SKIPPED')),
    variant        varchar(64),
    reason         varchar(500),
    -- quiet hours: not before this time (kept after sending, to explain the delay)
    due_at         timestamptz,
    touchpoint_id  uuid,
    decided_at     timestamptz   NOT NULL,
    PRIMARY KEY (run_id, customer_id, entry_at)
);
-- the send loop: a run's undecided recipients in key order, and those quiet hours hold by when they are due
CREATE INDEX campaign_recipient_pending_idx ON campaign_recipient (run_id, customer_id) WHERE outcome = 'PENDING';
CREATE INDEX campaign_recipient_deferred_idx ON campaign_recipient (run_id, due_at) WHERE outcome = 'DEFERRED';
-- frequency caps: what other runs still mean to send a customer
CREATE INDEX campaign_recipient_customer_idx ON campaign_recipient (customer_id)
    WHERE outcome IN ('PENDING', 'DEFERRED');

-- Touchpoints a campaign created name their run and variant; caps count a customer's recent ones per channel.
ALTER TABLE touchpoint ADD COLUMN campaign_run_id uuid, ADD COLUMN campaign_variant varchar(64);
CREATE INDEX touchpoint_campaign_run_idx ON touchpoint (campaign_run_id, id) WHERE campaign_run_id IS NOT NULL;
CREATE INDEX touchpoint_cap_idx ON touchpoint (customer_id, channel, created_at)
    WHERE campaign_run_id IS NOT NULL AND status <> 'SUPPRESSED';

-- Quiet hours: until when a time falls in the daily window [starts, ends) of a zone (it may span midnight),
-- NULL when it does not. Plain SQL, so that PostgreSQL inlines it into the statements that decide a whole batch.
CREATE FUNCTION campaign_quiet_until(at timestamptz, zone text, starts time, ends time) RETURNS timestamptz
    LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN CASE WHEN starts < ends THEN l.t >= starts AND l.t < ends ELSE l.t >= starts OR l.t < ends END
                THEN ((l.d + CASE WHEN l.t >= ends THEN 1 ELSE 0 END) + ends) AT TIME ZONE zone END
    FROM (SELECT (at AT TIME ZONE zone)::time AS t, (at AT TIME ZONE zone)::date AS d) l
$$;
