-- Bulk tag changes over a customer filter, run in the background in keyset batches. Each batch commits with
-- the job's progress (cursor, processed, changed), so a job whose instance dies resumes where it stopped once
-- its lease runs out, on whichever instance claims it first.
CREATE TABLE tag_job (
    id            uuid          PRIMARY KEY,
    operation     varchar(8)    NOT NULL CHECK (operation IN ('ASSIGN', 'REMOVE')),
    tag_keys      text[]        NOT NULL,
    source        varchar(16)   NOT NULL CHECK (source IN ('MANUAL', 'RULE', 'IMPORT')),
    expires_at    timestamptz,
    filter        jsonb         NOT NULL,
    status        varchar(16)   NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    total         bigint,
    processed     bigint        NOT NULL DEFAULT 0,
    changed       bigint        NOT NULL DEFAULT 0,
    cursor_id     uuid,
    owner         varchar(100),
    lease_until   timestamptz,
    error         varchar(1000),
    -- who asked, so that the audit rows the batches write name them rather than the service
    actor_type    varchar(16)   NOT NULL,
    actor_id      varchar(300)  NOT NULL,
    actor_name    varchar(300),
    client_id     varchar(300),
    request_id    varchar(200),
    created_at    timestamptz   NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz
);
-- the workers' claim query
CREATE INDEX tag_job_open_idx ON tag_job (created_at) WHERE status IN ('QUEUED', 'RUNNING');
