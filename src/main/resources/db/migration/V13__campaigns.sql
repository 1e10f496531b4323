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
    -- the conversion goal, as attribution reads it: the event type, the window, the property filters as SQL over
    -- event e (compiled when saved)
    goal_type     varchar(64),
    goal_window   interval,
    goal_filter   text,
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
    -- the recipient's first conversion (reached or held out)
    converted_at   timestamptz,
    PRIMARY KEY (run_id, customer_id, entry_at)
);
-- the send loop: a run's undecided recipients in key order, and those quiet hours hold by when they are due
CREATE INDEX campaign_recipient_pending_idx ON campaign_recipient (run_id, customer_id) WHERE outcome = 'PENDING';
CREATE INDEX campaign_recipient_deferred_idx ON campaign_recipient (run_id, due_at) WHERE outcome = 'DEFERRED';
-- by customer: what other runs still mean to send them (frequency caps), and the runs that held them out
-- (conversion attribution)
CREATE INDEX campaign_recipient_customer_idx ON campaign_recipient (customer_id, outcome)
    WHERE outcome IN ('PENDING', 'DEFERRED', 'HELD_OUT');

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

-- Reports, kept up to date as things happen (never by scanning events): per run, variant and day after the send
-- (0: the first 24 hours; reach and status counts are all on day 0), what was reached, delivered, opened, clicked
-- and converted, and the holdout's size and conversions.
CREATE TABLE campaign_report (
    run_id             uuid         NOT NULL REFERENCES campaign_run (id) ON DELETE CASCADE,
    variant            varchar(64)  NOT NULL,
    day                integer      NOT NULL,
    reached            bigint       NOT NULL DEFAULT 0,
    delivered          bigint       NOT NULL DEFAULT 0,
    opened             bigint       NOT NULL DEFAULT 0,
    clicked            bigint       NOT NULL DEFAULT 0,
    converted          bigint       NOT NULL DEFAULT 0,
    held_out           bigint       NOT NULL DEFAULT 0,
    holdout_converted  bigint       NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, variant, day)
);

-- How far along a touchpoint is, for counting each campaign touchpoint once per step it reached (a partner may
-- skip steps: CLICKED implies OPENED and DELIVERED).
CREATE FUNCTION campaign_touch_rank(status varchar) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status WHEN 'DELIVERED' THEN 3 WHEN 'OPENED' THEN 4 WHEN 'CLICKED' THEN 5 WHEN 'CONVERTED' THEN 6
                       WHEN 'SENT' THEN 2 WHEN 'QUEUED' THEN 1 ELSE 0 END
$$;

CREATE FUNCTION campaign_report_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_report AS r (run_id, variant, day, delivered, opened, clicked)
    SELECT n.campaign_run_id, n.campaign_variant, 0,
           count(*) FILTER (WHERE campaign_touch_rank(o.status) < 3 AND campaign_touch_rank(n.status) >= 3),
           count(*) FILTER (WHERE campaign_touch_rank(o.status) < 4 AND campaign_touch_rank(n.status) >= 4),
           count(*) FILTER (WHERE campaign_touch_rank(o.status) < 5 AND campaign_touch_rank(n.status) >= 5)
    FROM changed n JOIN previous o ON o.id = n.id
    WHERE n.campaign_run_id IS NOT NULL AND n.status IS DISTINCT FROM o.status
    GROUP BY 1, 2
    ON CONFLICT (run_id, variant, day) DO UPDATE SET delivered = r.delivered + EXCLUDED.delivered,
        opened = r.opened + EXCLUDED.opened, clicked = r.clicked + EXCLUDED.clicked;
    RETURN NULL;
END $$;
CREATE TRIGGER campaign_report_statuses AFTER UPDATE ON touchpoint REFERENCING OLD TABLE AS previous NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_report_statuses();

-- Events of a type some campaign converts on, waiting to be attributed (in order, SKIP LOCKED, deleted in the
-- transaction that attributes them). Ingestion only copies their keys: windows and filters are applied later.
CREATE TABLE campaign_goal_event (
    customer_id  uuid          NOT NULL,
    seq          bigint        GENERATED ALWAYS AS IDENTITY,
    occurred_at  timestamptz   NOT NULL,
    event_id     varchar(128)  NOT NULL,
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX campaign_goal_event_seq_idx ON campaign_goal_event (seq);

CREATE FUNCTION campaign_goal_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_goal_event (customer_id, occurred_at, event_id)
    SELECT e.customer_id, e.occurred_at, e.event_id FROM changed e
    WHERE e.type IN (SELECT goal_type FROM campaign WHERE goal_type IS NOT NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER campaign_goal_recorded AFTER INSERT ON event REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_goal_events();

-- Conversions: a goal event credited to the last campaign touchpoint within its window (at most one touchpoint
-- per event), and to each run that held the customer out and was within its window.
CREATE TABLE campaign_conversion (
    customer_id    uuid          NOT NULL,
    occurred_at    timestamptz   NOT NULL,
    event_id       varchar(128)  NOT NULL,
    run_id         uuid          NOT NULL REFERENCES campaign_run (id) ON DELETE CASCADE,
    touchpoint_id  uuid,
    PRIMARY KEY (customer_id, occurred_at, event_id, run_id)
);
CREATE UNIQUE INDEX campaign_conversion_touch_key ON campaign_conversion (customer_id, occurred_at, event_id)
    WHERE touchpoint_id IS NOT NULL;
CREATE INDEX campaign_conversion_run_idx ON campaign_conversion (run_id);
