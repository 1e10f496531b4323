-- Erasure (GDPR art. 17 / PIPL art. 47) and subject access: what is held about one customer must be found by their
-- id everywhere, then removed or made unlinkable, and they must not come back through an import or an upsert.

-- Whom a webhook message is about (null for messages about no customer, such as campaign runs), so their bodies can
-- be found and deleted without reading every body.
ALTER TABLE webhook_message ADD COLUMN customer_id uuid;
CREATE INDEX webhook_message_customer_idx ON webhook_message (customer_id) WHERE customer_id IS NOT NULL;

-- The audit entries about a customer (entity ids are the customer's id, or "<id>/<tag key>", "<id>/<channel>").
CREATE INDEX audit_log_customer_idx ON audit_log (split_part(entity_id, '/', 1))
    WHERE entity IN ('customer', 'customer-tag', 'customer-consent');

-- An erasure is recorded as an action of its own; so is a merge.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check,
    ADD CONSTRAINT audit_log_action_check CHECK (action IN ('create', 'update', 'delete', 'erase', 'merge'));

-- The audit log stays append-only, with two declared exceptions: a purge past retention may delete rows (V22), and
-- an erasure may empty the changes of rows (set_config('crm.erasing', 'audit_log', true)) and nothing else: who did
-- what to which id, and when, is kept.
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('crm.purging', true) = 'audit_log' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('crm.erasing', true) = 'audit_log' AND NEW.changes = '{}'::jsonb
            AND (NEW.id, NEW.occurred_at, NEW.actor_type, NEW.actor_id, NEW.actor_name, NEW.client_id, NEW.request_id,
                 NEW.entity, NEW.entity_id, NEW.action)
            IS NOT DISTINCT FROM (OLD.id, OLD.occurred_at, OLD.actor_type, OLD.actor_id, OLD.actor_name, OLD.client_id,
                 OLD.request_id, OLD.entity, OLD.entity_id, OLD.action) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- The tombstone of an erased customer: their id, when, and how much was removed (counts, no personal data). Reads
-- of the id answer 410 Gone; erasing it again is refused.
CREATE TABLE customer_erasure (
    id         uuid         PRIMARY KEY,
    erased_at  timestamptz  NOT NULL,
    removed    jsonb        NOT NULL CHECK (jsonb_typeof(removed) = 'object')
);

-- The suppression list: a salted SHA-256 of an erased customer's normalised email, phone and external id. A create,
-- an upsert or an import row carrying one is refused until an admin lifts it. The salt is per deployment (generated
-- here, once), so the hashes cannot be looked up in a table of hashed addresses made elsewhere. Keyed by the hash:
-- it is looked up by value, never per customer.
CREATE TABLE suppression_salt (
    salt  text  NOT NULL
);
INSERT INTO suppression_salt (salt)
    SELECT encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'hex');

CREATE FUNCTION suppression_hash(kind text, value text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to((SELECT salt FROM suppression_salt) || ':' || kind || ':' || value, 'UTF8')), 'hex')
$$;

CREATE TABLE suppression (
    hash         char(64)     PRIMARY KEY,
    kind         varchar(16)  NOT NULL CHECK (kind IN ('email', 'phone', 'externalId')),
    customer_id  uuid         NOT NULL,
    created_at   timestamptz  NOT NULL
);
CREATE INDEX suppression_created_idx ON suppression (created_at, hash);
CREATE INDEX idempotency_key_resource_idx ON idempotency_key (resource_id) WHERE resource_id IS NOT NULL;
