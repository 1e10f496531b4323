-- Customer imports: a job (its mapping, progress and lease), the uploaded file in chunks of whole records, and the
-- rows that failed. The file lives in the database, not on an instance's disk, so any instance resumes a job whose
-- instance died. A chunk is applied and deleted in one transaction with the job's counters: a resumed job neither
-- skips nor repeats a row. Jobs and their errors hold no customer data keyed by customer (an error names a line, a
-- field and a reason), so they carry no customer_id.
CREATE TABLE import_job (
    id            uuid         PRIMARY KEY,
    format        varchar(8)   NOT NULL CHECK (format IN ('CSV', 'NDJSON')),
    match_key     varchar(16)  NOT NULL CHECK (match_key IN ('EXTERNAL_ID', 'EMAIL')),
    mode          varchar(8)   NOT NULL CHECK (mode IN ('CREATE', 'UPDATE', 'UPSERT')),
    columns       jsonb        NOT NULL,
    webhooks      boolean      NOT NULL,
    status        varchar(16)  NOT NULL,
    header        varchar[],
    total         bigint,
    rows_read     bigint       NOT NULL DEFAULT 0,
    created       bigint       NOT NULL DEFAULT 0,
    updated       bigint       NOT NULL DEFAULT 0,
    unchanged     bigint       NOT NULL DEFAULT 0,
    failed        bigint       NOT NULL DEFAULT 0,
    error         text,
    owner         varchar(64),
    lease_until   timestamptz,
    actor_type    varchar(16)  NOT NULL,
    actor_id      varchar(255) NOT NULL,
    actor_name    varchar(255),
    client_id     varchar(255),
    request_id    varchar(64),
    created_at    timestamptz  NOT NULL,
    uploaded_at   timestamptz,
    started_at    timestamptz,
    finished_at   timestamptz
);
CREATE INDEX import_job_claimable_idx ON import_job (created_at) WHERE status IN ('QUEUED', 'RUNNING');

CREATE TABLE import_chunk (
    job_id      uuid    NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    seq         int     NOT NULL,
    first_line  bigint  NOT NULL,
    body        bytea   NOT NULL,
    PRIMARY KEY (job_id, seq)
);
-- stored as written: compressing a chunk costs more than the disk it saves for the minutes it lives
ALTER TABLE import_chunk ALTER COLUMN body SET STORAGE EXTERNAL;

CREATE TABLE import_error (
    job_id  uuid      NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    line    bigint    NOT NULL,
    n       smallint  NOT NULL,
    field   text,
    reason  text      NOT NULL,
    PRIMARY KEY (job_id, line, n)
);
