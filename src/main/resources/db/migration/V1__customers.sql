-- Customers: the partner's id is unique when present; custom attributes are a JSON object.
CREATE TABLE customer (
    id              uuid         PRIMARY KEY,
    external_id     varchar(128),
    type            varchar(16)  NOT NULL CHECK (type IN ('INDIVIDUAL', 'ENTERPRISE')),
    name            varchar(200) NOT NULL,
    email           varchar(254),
    phone           varchar(16),
    registered_at   timestamptz,
    last_active_at  timestamptz,
    attributes      jsonb        NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL,
    version         bigint       NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX customer_external_id_key ON customer (external_id);
-- keyset pagination: (sort key, id) for both sort orders the API offers
CREATE INDEX customer_created_at_id_idx ON customer (created_at, id);
CREATE INDEX customer_name_id_idx ON customer (name, id);
CREATE INDEX customer_email_idx ON customer (lower(email));
CREATE INDEX customer_attributes_idx ON customer USING gin (attributes jsonb_path_ops);

-- Idempotency keys for creating POSTs: the first response is kept and replayed for the same key and body.
CREATE TABLE idempotency_key (
    scope          varchar(64)  NOT NULL,
    key            varchar(255) NOT NULL,
    request_hash   varchar(64)  NOT NULL,
    resource_id    uuid,
    created_at     timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_key_created_at_idx ON idempotency_key (created_at);
