-- Leads (package lead): rules that turn behaviour events into work for sales, and the leads they make.
--
-- A rule is a sequence of steps (one step: a real-time rule). Its definition is versioned: lead_rule holds the
-- current one, lead_rule_version every version with its compiled SQL, so a pending match goes on under the version
-- it started with while new matches use the current one.
CREATE TABLE lead_rule (
    id           uuid          PRIMARY KEY,
    key          varchar(64)   NOT NULL UNIQUE,
    status       varchar(16)   NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED')),
    definition   jsonb         NOT NULL,
    created_at   timestamptz   NOT NULL,
    updated_at   timestamptz   NOT NULL,
    version      bigint        NOT NULL DEFAULT 0
);

-- compiled: {"steps": [predicate over event e, ...], "conversions": [...], "customer": predicate over customer c
-- restricted by a %s marker, or null}; event_types: every type the steps and conversions read
CREATE TABLE lead_rule_version (
    rule_id      uuid          NOT NULL REFERENCES lead_rule (id) ON DELETE CASCADE,
    version      bigint        NOT NULL,
    definition   jsonb         NOT NULL,
    compiled     jsonb         NOT NULL,
    event_types  varchar(64)[] NOT NULL,
    PRIMARY KEY (rule_id, version)
);

-- A sequence partly matched: one per rule and customer, waiting for step `step` (0-based). step_deadline ends the
-- awaited step's window (an absence step passes then; an event step expires), expires_at the rule's overall window;
-- the matcher fires due_at by the wall clock. events is the trace so far.
CREATE TABLE lead_match (
    customer_id    uuid          NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    rule_id        uuid          NOT NULL,
    rule_version   bigint        NOT NULL,
    step           integer       NOT NULL,
    started_at     timestamptz   NOT NULL,
    last_at        timestamptz   NOT NULL,
    step_deadline  timestamptz,
    expires_at     timestamptz,
    due_at         timestamptz   GENERATED ALWAYS AS (least(step_deadline, expires_at)) STORED,
    events         jsonb         NOT NULL,
    PRIMARY KEY (customer_id, rule_id),
    FOREIGN KEY (rule_id, rule_version) REFERENCES lead_rule_version (rule_id, version) ON DELETE CASCADE
);
CREATE INDEX lead_match_due_idx ON lead_match (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX lead_match_rule_idx ON lead_match (rule_id, rule_version);

-- Events of a type an active rule (or a pending match's version) reads, waiting for the matcher, in the order they
-- were stored. The matcher takes a customer's whole queue under that customer's advisory lock (no SKIP LOCKED
-- needed) and reads the events from here, not from the partitioned event table: what its conditions read (type and
-- properties) is copied along, so matching a batch is one scan of this small table.
CREATE TABLE lead_event (
    customer_id  uuid          NOT NULL,
    seq          bigint        GENERATED ALWAYS AS IDENTITY,
    occurred_at  timestamptz   NOT NULL,
    event_id     varchar(128)  NOT NULL,
    id           uuid          NOT NULL,
    type         varchar(64)   NOT NULL,
    properties   jsonb         NOT NULL,
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX lead_event_seq_idx ON lead_event (seq);

CREATE FUNCTION lead_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_event (customer_id, occurred_at, event_id, id, type, properties)
    SELECT e.customer_id, e.occurred_at, e.event_id, e.id, e.type, e.properties FROM changed e
    WHERE e.type IN (SELECT unnest(v.event_types) FROM lead_rule r JOIN lead_rule_version v ON v.rule_id = r.id
                     WHERE r.status = 'ACTIVE' AND (v.version = r.version
                         OR EXISTS (SELECT 1 FROM lead_match m WHERE m.rule_id = v.rule_id AND m.rule_version = v.version)));
    RETURN NULL;
END $$;
CREATE TRIGGER lead_events_recorded AFTER INSERT ON event REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION lead_events();

-- A deleted customer's queued events go with it (their matches and leads go by their foreign keys).
CREATE FUNCTION lead_events_delete_with_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM lead_event q USING gone g WHERE q.customer_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER lead_events_delete_with_customer AFTER DELETE ON customer REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION lead_events_delete_with_customer();

-- A lead: work for sales about one customer. dedup_key is what made it (the triggering event, the sequence's first
-- event): the unique key makes each lead once, whichever instance and however often the matcher sees it.
CREATE TABLE lead (
    customer_id   uuid          NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    id            uuid          NOT NULL UNIQUE,
    rule_id       uuid          REFERENCES lead_rule (id) ON DELETE SET NULL,
    rule_key      varchar(64),
    rule_version  bigint,
    dedup_key     varchar(200)  NOT NULL,
    type          varchar(64)   NOT NULL,
    priority      varchar(16)   NOT NULL CHECK (priority IN ('LOW', 'NORMAL', 'HIGH', 'URGENT')),
    score         integer       NOT NULL,
    status        varchar(24)   NOT NULL CHECK (status IN ('NEW', 'ASSIGNED', 'CONTACTED', 'QUALIFIED', 'CONVERTED',
                                    'DISQUALIFIED', 'CONVERTED_NATURALLY', 'EXPIRED')),
    assignee      varchar(255),
    trace         jsonb         NOT NULL,
    triggered_at  timestamptz   NOT NULL,
    created_at    timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL,
    version       bigint        NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, id),
    UNIQUE (customer_id, rule_id, dedup_key)
);
CREATE INDEX lead_status_idx ON lead (status, id);
CREATE INDEX lead_assignee_idx ON lead (assignee, status, id) WHERE assignee IS NOT NULL;
CREATE INDEX lead_rule_idx ON lead (rule_id, id);

-- Every change of a lead's status or assignee, with who made it (a person, an API key, a rule or the service). The
-- first line, the lead made NEW by its rule, is implied by the lead itself (lead.created names the lead), not stored:
-- at a lead per event it would be a second row written for every lead.
CREATE TABLE lead_history (
    customer_id  uuid          NOT NULL,
    lead_id      uuid          NOT NULL,
    id           uuid          NOT NULL UNIQUE,
    at           timestamptz   NOT NULL,
    from_status  varchar(24),
    to_status    varchar(24)   NOT NULL,
    assignee     varchar(255),
    actor_type   varchar(16)   NOT NULL,
    actor_id     varchar(255)  NOT NULL,
    note         varchar(1000),
    PRIMARY KEY (customer_id, lead_id, id),
    FOREIGN KEY (customer_id, lead_id) REFERENCES lead (customer_id, id) ON DELETE CASCADE
);
