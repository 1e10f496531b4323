-- Customer exports: a job (what to write, for whom, progress and lease) and its file in chunks, written page by page
-- in id order with the job's cursor in the same transaction, so any instance resumes a dead one's export where it
-- stopped. The file lives in the database until it expires, so any instance serves it. A chunk holds customer data
-- but is keyed by its job (one file, one reader); it is deleted with the job or when the file expires.
CREATE TABLE export_job (
    id            uuid         PRIMARY KEY,
    format        varchar(8)   NOT NULL CHECK (format IN ('CSV', 'NDJSON')),
    fields        varchar[]    NOT NULL,
    tags          boolean      NOT NULL,
    buckets       varchar[]    NOT NULL,
    filter        jsonb        NOT NULL,
    masked        boolean      NOT NULL,
    status        varchar(16)  NOT NULL,
    cursor_id     uuid,
    rows_written  bigint       NOT NULL DEFAULT 0,
    chunks        int          NOT NULL DEFAULT 0,
    bytes         bigint       NOT NULL DEFAULT 0,
    error         text,
    owner         varchar(64),
    lease_until   timestamptz,
    actor_type    varchar(16)  NOT NULL,
    actor_id      varchar(255) NOT NULL,
    actor_name    varchar(255),
    client_id     varchar(255),
    request_id    varchar(64),
    created_at    timestamptz  NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz,
    expires_at    timestamptz
);
CREATE INDEX export_job_claimable_idx ON export_job (created_at) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX export_job_expiring_idx ON export_job (expires_at) WHERE status = 'SUCCEEDED';

CREATE TABLE export_chunk (
    job_id  uuid   NOT NULL REFERENCES export_job (id) ON DELETE CASCADE,
    seq     int    NOT NULL,
    body    bytea  NOT NULL,
    PRIMARY KEY (job_id, seq)
);
ALTER TABLE export_chunk ALTER COLUMN body SET STORAGE EXTERNAL;
