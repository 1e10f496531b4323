-- Merging two customers: the merged-away customer's id and external id stay as aliases of the survivor, so reads and
-- writes through them (GET/PATCH/DELETE by id, by external id, upserts, events) reach the survivor. Looked up by the
-- alias (its key) only when no customer has the id; deleted with the survivor.
CREATE TABLE customer_alias (
    alias_id     uuid          PRIMARY KEY,
    customer_id  uuid          NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    external_id  varchar(128),
    merged_at    timestamptz   NOT NULL
);
CREATE UNIQUE INDEX customer_alias_external_id_key ON customer_alias (external_id);
CREATE INDEX customer_alias_customer_idx ON customer_alias (customer_id);
