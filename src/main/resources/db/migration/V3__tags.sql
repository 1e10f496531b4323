-- Tag definitions: key is the stable slug partners use in paths; the rest is for people.
CREATE TABLE tag (
    id           uuid         PRIMARY KEY,
    key          varchar(64)  NOT NULL,
    name         varchar(100) NOT NULL,
    category     varchar(64),
    description  varchar(500),
    color        varchar(7),
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL,
    version      bigint       NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tag_key_key ON tag (key);
CREATE INDEX tag_category_idx ON tag (category, key);

-- Assignments: a customer carries any number of tags (they overlap). Deleting a customer removes them.
CREATE TABLE customer_tag (
    customer_id  uuid         NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    tag_id       uuid         NOT NULL REFERENCES tag (id),
    source       varchar(16)  NOT NULL CHECK (source IN ('MANUAL', 'RULE', 'IMPORT')),
    assigned_by  varchar(300) NOT NULL,
    assigned_at  timestamptz  NOT NULL,
    expires_at   timestamptz,
    PRIMARY KEY (customer_id, tag_id)
);
-- "who has this tag?" and counts per tag
CREATE INDEX customer_tag_tag_idx ON customer_tag (tag_id, customer_id);
-- the expiry sweep
CREATE INDEX customer_tag_expires_at_idx ON customer_tag (expires_at) WHERE expires_at IS NOT NULL;
