-- Consent per channel: no row means the customer has not opted out.
CREATE TABLE customer_consent (
    customer_id  uuid         NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    channel      varchar(16)  NOT NULL,
    status       varchar(16)  NOT NULL CHECK (status IN ('OPTED_IN', 'OPTED_OUT')),
    source       varchar(64),
    updated_at   timestamptz  NOT NULL,
    PRIMARY KEY (customer_id, channel)
);

-- Touchpoints: one reach of one customer on one channel, and every status it went through.
CREATE TABLE touchpoint (
    id                  uuid          PRIMARY KEY,
    customer_id         uuid          NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    channel             varchar(16)   NOT NULL,
    purpose             varchar(64),
    content             jsonb         NOT NULL CHECK (jsonb_typeof(content) = 'object'),
    source              varchar(16)   NOT NULL,
    status              varchar(16)   NOT NULL,
    status_reason       varchar(500),
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL
);
CREATE INDEX touchpoint_customer_idx ON touchpoint (customer_id, id);
CREATE INDEX touchpoint_created_idx ON touchpoint (created_at, id);

CREATE TABLE touchpoint_status_change (
    id             bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    touchpoint_id  uuid          NOT NULL REFERENCES touchpoint (id) ON DELETE CASCADE,
    status         varchar(16)   NOT NULL,
    reason         varchar(500),
    occurred_at    timestamptz   NOT NULL,
    recorded_at    timestamptz   NOT NULL
);
CREATE INDEX touchpoint_status_change_touchpoint_idx ON touchpoint_status_change (touchpoint_id, id);

-- Endpoints: when deliveries started failing without a success since, and why one was disabled by the service.
ALTER TABLE webhook_endpoint ADD COLUMN failing_since timestamptz, ADD COLUMN disabled_reason varchar(500);

-- The transactional outbox: one message per event and subscribed endpoint, written in the transaction of the
-- change that caused the event. body is the exact JSON that is signed and sent. A dispatcher claims a due
-- message by moving next_attempt_at past its lease, so a claim by an instance that dies lapses by itself.
CREATE TABLE webhook_message (
    id               uuid          PRIMARY KEY,
    endpoint_id      uuid          NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    event_type       varchar(64)   NOT NULL,
    body             text          NOT NULL,
    state            varchar(12)   NOT NULL CHECK (state IN ('PENDING', 'FAILED', 'DELIVERED', 'DEAD')),
    attempts         integer       NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_error       varchar(500),
    created_at       timestamptz   NOT NULL,
    delivered_at     timestamptz
);
CREATE INDEX webhook_message_due_idx ON webhook_message (next_attempt_at) WHERE state IN ('PENDING', 'FAILED');
CREATE INDEX webhook_message_endpoint_idx ON webhook_message (endpoint_id, created_at, id);

-- Every delivery attempt, as the delivery log shows it.
CREATE TABLE webhook_attempt (
    id                 bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id         uuid          NOT NULL REFERENCES webhook_message (id) ON DELETE CASCADE,
    attempted_at       timestamptz   NOT NULL,
    status_code        integer,
    latency_ms         integer       NOT NULL,
    error              varchar(500),
    response_excerpt   varchar(1024)
);
CREATE INDEX webhook_attempt_message_idx ON webhook_attempt (message_id, id);
