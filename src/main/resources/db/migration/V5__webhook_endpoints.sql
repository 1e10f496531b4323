-- Partner systems subscribed to events. Signing secrets are stored encrypted (AES-256-GCM, key from
-- configuration); after a rotation the previous secret keeps signing alongside the new one until its grace ends.
CREATE TABLE webhook_endpoint (
    id                     uuid          PRIMARY KEY,
    url                    varchar(2048) NOT NULL,
    description            varchar(500),
    event_types            text[]        NOT NULL,
    enabled                boolean       NOT NULL DEFAULT true,
    rate_limit_per_second  integer       CHECK (rate_limit_per_second > 0),
    secret                 bytea         NOT NULL,
    previous_secret        bytea,
    previous_secret_until  timestamptz,
    created_at             timestamptz   NOT NULL,
    updated_at             timestamptz   NOT NULL,
    version                bigint        NOT NULL DEFAULT 0
);
CREATE INDEX webhook_endpoint_created_idx ON webhook_endpoint (created_at, id);
