-- Behaviour events (package event). Hundreds of millions of rows on one PostgreSQL:
-- * partitioned by month of occurred_at; the service creates partitions ahead (event/EventPartitions) and drops
--   those wholly older than the retention setting, so retention is a DROP TABLE, not a DELETE;
-- * customer_id leads every key, so the table can later be distributed by it (Citus) without a redesign;
-- * no foreign key to customer (a lookup per inserted row, and not distributable): ingestion locks the customers
--   it writes for, and a trigger deletes a customer's events in the transaction that deletes the customer, so a
--   crash can never leave them behind.
-- A replay of the same client event id (same customer and occurred_at) is the same row: ON CONFLICT DO NOTHING.
CREATE TABLE event (
    customer_id  uuid         NOT NULL,
    occurred_at  timestamptz  NOT NULL,
    event_id     varchar(128) NOT NULL,
    id           uuid         NOT NULL,
    type         varchar(64)  NOT NULL,
    properties   jsonb        NOT NULL DEFAULT '{}'::jsonb,
    items        jsonb,
    context      jsonb,
    received_at  timestamptz  NOT NULL,
    PRIMARY KEY (customer_id, occurred_at, event_id)
) PARTITION BY RANGE (occurred_at);
-- per-customer, per-type time windows: segment aggregates ("orders in the last 30 days") and the timeline by type
CREATE INDEX event_customer_type_time_idx ON event (customer_id, type, occurred_at);

-- The cascade a foreign key would give: one statement per DELETE on customer, through the customer_id-led index.
CREATE FUNCTION event_delete_with_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM event e USING gone g WHERE e.customer_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER event_delete_with_customer AFTER DELETE ON customer REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION event_delete_with_customer();

-- Events of visitors not yet known as customers, until POST /api/v1/identify moves them into event.
CREATE TABLE anonymous_event (
    anonymous_id varchar(128) NOT NULL,
    occurred_at  timestamptz  NOT NULL,
    event_id     varchar(128) NOT NULL,
    id           uuid         NOT NULL,
    type         varchar(64)  NOT NULL,
    properties   jsonb        NOT NULL DEFAULT '{}'::jsonb,
    items        jsonb,
    context      jsonb,
    received_at  timestamptz  NOT NULL,
    PRIMARY KEY (anonymous_id, occurred_at, event_id)
) PARTITION BY RANGE (occurred_at);

-- An identified anonymous id: its later events go straight to the customer.
CREATE TABLE anonymous_identity (
    anonymous_id varchar(128) PRIMARY KEY,
    customer_id  uuid         NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    linked_at    timestamptz  NOT NULL
);
CREATE INDEX anonymous_identity_customer_idx ON anonymous_identity (customer_id);
