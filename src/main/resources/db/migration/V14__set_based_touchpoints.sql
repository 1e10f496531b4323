-- A touchpoint's first status is implied by the touchpoint (SUPPRESSED never changes, anything else was QUEUED, at
-- its creation), so it is no longer written as a history line: one row less per touchpoint a campaign sends.
-- Partners never report QUEUED or SUPPRESSED, so these lines are exactly the first ones written before.
DELETE FROM touchpoint_status_change WHERE status IN ('QUEUED', 'SUPPRESSED');

-- A run's progress, counted as its recipients change: per variant ('' for none) and outcome, so asking how far a
-- run of a million recipients has got reads a few rows instead of counting them all. Statement triggers keep it, for
-- every way recipients change (materialising, entries, batches, a customer's deletion cascading to them).
CREATE TABLE campaign_run_count (
    run_id   uuid          NOT NULL REFERENCES campaign_run (id) ON DELETE CASCADE,
    variant  varchar(64)   NOT NULL,
    outcome  varchar(16)   NOT NULL,
    n        bigint        NOT NULL,
    PRIMARY KEY (run_id, variant, outcome)
);
INSERT INTO campaign_run_count (run_id, variant, outcome, n)
SELECT run_id, coalesce(variant, ''), outcome, count(*) FROM campaign_recipient GROUP BY 1, 2, 3;

CREATE FUNCTION campaign_recipients_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO campaign_run_count AS k (run_id, variant, outcome, n)
        SELECT run_id, coalesce(variant, ''), outcome, count(*) FROM added GROUP BY 1, 2, 3
        ON CONFLICT (run_id, variant, outcome) DO UPDATE SET n = k.n + EXCLUDED.n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO campaign_run_count AS k (run_id, variant, outcome, n)
        SELECT run_id, variant, outcome, sum(d) FROM (
            SELECT run_id, coalesce(variant, '') AS variant, outcome, 1 AS d FROM added
            UNION ALL SELECT run_id, coalesce(variant, ''), outcome, -1 FROM removed) x
        GROUP BY 1, 2, 3 HAVING sum(d) <> 0
        ON CONFLICT (run_id, variant, outcome) DO UPDATE SET n = k.n + EXCLUDED.n;
    ELSE
        -- no insert: when a run's deletion cascades here, its counts go with it
        UPDATE campaign_run_count k SET n = k.n - x.n FROM (SELECT run_id, coalesce(variant, '') AS variant, outcome,
            count(*) AS n FROM removed GROUP BY 1, 2, 3) x
        WHERE k.run_id = x.run_id AND k.variant = x.variant AND k.outcome = x.outcome;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER campaign_recipients_inserted AFTER INSERT ON campaign_recipient REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_recipients_counted();
CREATE TRIGGER campaign_recipients_updated AFTER UPDATE ON campaign_recipient
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION campaign_recipients_counted();
CREATE TRIGGER campaign_recipients_deleted AFTER DELETE ON campaign_recipient REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_recipients_counted();

-- Messages of events written many at once (a campaign batch's touchpoint.created) name their subject instead of
-- carrying a body: the dispatcher renders the body when it first claims the message and stores it with the
-- attempt's outcome, so every later attempt sends exactly the same body. Writing them is a small row each.
ALTER TABLE webhook_message ALTER COLUMN body DROP NOT NULL, ADD COLUMN subject_id uuid,
    ADD CONSTRAINT webhook_message_body_or_subject CHECK (body IS NOT NULL OR subject_id IS NOT NULL);

-- Deleting a customer deletes their recipients (the foreign key cascades): that lookup by customer needs an index
-- over every outcome, not only the open and held-out ones the caps and attribution ask for, or it scans every run.
DROP INDEX campaign_recipient_customer_idx;
CREATE INDEX campaign_recipient_customer_idx ON campaign_recipient (customer_id, outcome);

-- Recipients refer to their customer and run without foreign keys: materialising 100,000 recipients checked each
-- against both tables (two lookups and a row lock per recipient, half the statement's time). Statement triggers
-- delete a customer's or a run's recipients with them instead, as events are deleted with their customer. A
-- customer deleted while a run materialises them can leave a recipient behind: the run skips it ("deleted").
ALTER TABLE campaign_recipient DROP CONSTRAINT campaign_recipient_customer_id_fkey,
    DROP CONSTRAINT campaign_recipient_run_id_fkey;
CREATE FUNCTION campaign_recipients_of_customers_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM campaign_recipient r USING gone g WHERE r.customer_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER campaign_recipients_of_customers_deleted AFTER DELETE ON customer REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_recipients_of_customers_deleted();
CREATE FUNCTION campaign_recipients_of_runs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM campaign_recipient r USING gone g WHERE r.run_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER campaign_recipients_of_runs_deleted AFTER DELETE ON campaign_run REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_recipients_of_runs_deleted();
