-- Leads, second part: who works them (sales teams, reps, assignment rules), item conditions, reaching a lead,
-- expiry, offline pulls.

-- Sales teams and their reps: whom leads are assigned to. A rep is someone the CRM knows by the id the API names
-- its callers with (a Keycloak subject or an API key id); max_open caps the open leads automatic assignment gives
-- them, last_assigned_at makes round robin (the longest without a lead goes next).
CREATE TABLE sales_team (
    id          uuid          PRIMARY KEY,
    key         varchar(64)   NOT NULL UNIQUE,
    name        varchar(200)  NOT NULL,
    created_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL,
    version     bigint        NOT NULL DEFAULT 0
);
CREATE TABLE sales_rep (
    team_id           uuid          NOT NULL REFERENCES sales_team (id) ON DELETE CASCADE,
    actor_id          varchar(255)  NOT NULL,
    name              varchar(200),
    territory         varchar(100),
    max_open          integer       CHECK (max_open > 0),
    active            boolean       NOT NULL DEFAULT true,
    last_assigned_at  timestamptz,
    PRIMARY KEY (team_id, actor_id)
);
CREATE INDEX sales_rep_actor_idx ON sales_rep (actor_id);

-- Assignment rules, in position order: the first whose conditions a new lead meets assigns it to a rep of its team.
-- A team that a rule names cannot be deleted.
CREATE TABLE lead_assignment_rule (
    id                  uuid          PRIMARY KEY,
    key                 varchar(64)   NOT NULL UNIQUE,
    position            integer       NOT NULL,
    team_id             uuid          NOT NULL REFERENCES sales_team (id),
    definition          jsonb         NOT NULL,
    customer_predicate  text,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    version             bigint        NOT NULL DEFAULT 0
);

-- The queue carries the events' items too: a step may name them ("item.category", "item.price").
ALTER TABLE lead_event ADD COLUMN items jsonb;
CREATE OR REPLACE FUNCTION lead_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_event (customer_id, occurred_at, event_id, id, type, properties, items)
    SELECT e.customer_id, e.occurred_at, e.event_id, e.id, e.type, e.properties, e.items FROM changed e
    WHERE e.type IN (SELECT unnest(v.event_types) FROM lead_rule r JOIN lead_rule_version v ON v.rule_id = r.id
                     WHERE r.status = 'ACTIVE' AND (v.version = r.version
                         OR EXISTS (SELECT 1 FROM lead_match m WHERE m.rule_id = v.rule_id AND m.rule_version = v.version)));
    RETURN NULL;
END $$;

-- A lead rule may reach its lead at once: the touchpoint names the lead, and is cancelled while still QUEUED when the
-- lead closes before the reach (converted naturally, disqualified, expired).
ALTER TABLE touchpoint ADD COLUMN lead_id uuid;
CREATE INDEX touchpoint_lead_idx ON touchpoint (lead_id) WHERE lead_id IS NOT NULL;
-- Frequency caps count what automation sent: campaign runs and lead rules alike.
DROP INDEX touchpoint_cap_idx;
CREATE INDEX touchpoint_cap_idx ON touchpoint (customer_id, channel, created_at)
    WHERE (campaign_run_id IS NOT NULL OR lead_id IS NOT NULL) AND status <> 'SUPPRESSED';

-- A lead still open at expires_at (its rule's expiresAfter) is closed as EXPIRED by the sweep, which reads this index.
ALTER TABLE lead ADD COLUMN expires_at timestamptz;
CREATE INDEX lead_expiry_idx ON lead (expires_at)
    WHERE expires_at IS NOT NULL AND status IN ('NEW', 'ASSIGNED', 'CONTACTED', 'QUALIFIED');

-- Offline pulls: a rule with a schedule instead of steps. next_at is the fire being worked or the next one;
-- after_customer is how far through the customers (by id) the fire has got, committed with each chunk's leads, so a
-- pull stopped by a crash goes on from there on any instance.
CREATE TABLE lead_pull (
    rule_id         uuid         PRIMARY KEY REFERENCES lead_rule (id) ON DELETE CASCADE,
    next_at         timestamptz  NOT NULL,
    after_customer  uuid,
    made            bigint       NOT NULL DEFAULT 0
);
CREATE INDEX lead_pull_due_idx ON lead_pull (next_at);

-- The matcher writes a match per sequence it starts or moves on: a foreign key to customer locked a random customer's
-- row (and dirtied its page) for every one. A customer's deletion takes their matches instead, as it takes their
-- queued events, after waiting for any matcher step that holds them (its advisory lock on the customer, LeadWorker),
-- so no step writes a match for a customer whose deletion has run. Leads keep their foreign key.
ALTER TABLE lead_match DROP CONSTRAINT lead_match_customer_id_fkey;
CREATE OR REPLACE FUNCTION lead_events_delete_with_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(x'1ead'::int, hashtext(g.id::text)) FROM gone g;
    DELETE FROM lead_event q USING gone g WHERE q.customer_id = g.id;
    DELETE FROM lead_match m USING gone g WHERE m.customer_id = g.id;
    RETURN NULL;
END $$;
