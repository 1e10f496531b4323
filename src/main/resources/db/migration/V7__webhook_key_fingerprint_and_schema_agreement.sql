-- The fingerprint of the key that encrypts webhook signing secrets (webhook/WebhookKeyFingerprint): one row,
-- written on the first start; an instance started with another key refuses to start instead of failing every
-- delivery because no stored secret decrypts.
CREATE TABLE webhook_key_fingerprint (
    id           boolean     PRIMARY KEY DEFAULT true CHECK (id),
    fingerprint  varchar(64) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Entity mappings and the schema agree, for Hibernate's schema validation over JDBC (platform/SchemaValidationTest)
-- and for Hibernate Reactive's, which quarkus:dev runs after boot and which knows varchar and varchar[] but not
-- char(n) or text[]. PostgreSQL stores these alike: a change of declared type only.
-- A SHA-256 in hex always has 64 characters; char(n) adds nothing over varchar in PostgreSQL.
ALTER TABLE api_key ALTER COLUMN key_hash TYPE varchar(64);
ALTER TABLE tag_job ALTER COLUMN tag_keys TYPE varchar[];
ALTER TABLE webhook_endpoint ALTER COLUMN event_types TYPE varchar[];
