-- The matcher's writes without per-row foreign-key checks. Each check is a query per row written (and a lock on the
-- row it finds): about 1,300 per step of 1000 events for the matches' rule version and 300 each for the leads'
-- customer and rule, at 1M customers about half of those inserts' time (matches 60 -> 36 ms per step). What the keys
-- did is done here by statement triggers instead, and the writers keep the rows they rely on from going:
--   * the matcher works a customer only under the customer's advisory lock, which a deletion takes first (V18);
--   * a pull locks its customers' rows (FOR KEY SHARE) in the statement that picks them;
--   * a match a step in flight writes for a rule deleted meanwhile is dropped when its customer is next matched (the
--     matcher drops matches whose version is gone); a lead made so keeps the deleted rule's id (and its key and
--     version, as every lead does).
ALTER TABLE lead_match DROP CONSTRAINT lead_match_rule_id_rule_version_fkey;
ALTER TABLE lead DROP CONSTRAINT lead_customer_id_fkey;
ALTER TABLE lead DROP CONSTRAINT lead_rule_id_fkey;

CREATE OR REPLACE FUNCTION lead_events_delete_with_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(x'1ead'::int, hashtext(g.id::text)) FROM gone g;
    DELETE FROM lead_event q USING gone g WHERE q.customer_id = g.id;
    DELETE FROM lead_match m USING gone g WHERE m.customer_id = g.id;
    DELETE FROM lead l USING gone g WHERE l.customer_id = g.id;
    RETURN NULL;
END $$;

CREATE FUNCTION lead_rule_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM lead_match m USING gone g WHERE m.rule_id = g.id;
    UPDATE lead l SET rule_id = NULL FROM gone g WHERE l.rule_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER lead_rule_deleted AFTER DELETE ON lead_rule REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION lead_rule_deleted();

-- The queue and the matches are rewritten all day: vacuum them by a fixed number of dead rows, not a fifth of the
-- table, so that the claim's index scan does not walk tens of thousands of dead entries between vacuums.
ALTER TABLE lead_event SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
ALTER TABLE lead_match SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
