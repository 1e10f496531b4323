-- Segments: dimensions (ordered buckets, the last a catch-all: every customer is in exactly one) and audiences
-- (one bucket: whoever matches its condition). Membership is materialised in segment_member and kept up to date
-- incrementally: triggers mark the customers a write touches in segment_dirty, and the upkeep re-evaluates only
-- them; conditions that move with time (and changed definitions) are recomputed by a resumable refresh: one
-- set-based pass stages the differences in segment_pending, then chunks of them are applied.
CREATE TABLE segment (
    id             uuid          PRIMARY KEY,
    kind           varchar(16)   NOT NULL CHECK (kind IN ('DIMENSION', 'AUDIENCE')),
    key            varchar(64)   NOT NULL UNIQUE,
    name           varchar(100)  NOT NULL,
    description    varchar(500),
    built_in       boolean       NOT NULL DEFAULT false,
    -- segments whose membership the conditions read: evaluated first; a cycle is refused on save
    depends_on     uuid[]        NOT NULL DEFAULT '{}',
    -- some condition reads now() (a window, a relative date): refreshed on a schedule
    time_relative  boolean       NOT NULL,
    -- a pending full recompute (why, and whether its differences are staged in segment_pending), resumable
    refresh_cause  varchar(16)   CHECK (refresh_cause IN ('created', 'definition', 'time')),
    refresh_staged boolean       NOT NULL DEFAULT false,
    refreshed_at   timestamptz,
    created_at     timestamptz   NOT NULL,
    updated_at     timestamptz   NOT NULL,
    version        bigint        NOT NULL DEFAULT 0
);

-- condition is the tree as submitted; predicate its compiled SQL over customer c, restricted to the customers in
-- the CTE "scope" of the statement that evaluates it. A dimension's last bucket (the catch-all) has neither.
CREATE TABLE segment_bucket (
    id          uuid          PRIMARY KEY,
    segment_id  uuid          NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
    position    integer       NOT NULL,
    key         varchar(64)   NOT NULL,
    name        varchar(100)  NOT NULL,
    condition   jsonb,
    predicate   text,
    CHECK ((condition IS NULL) = (predicate IS NULL)),
    UNIQUE (segment_id, key),
    UNIQUE (segment_id, position)
);

-- One row per customer and segment: a second bucket of the same dimension cannot exist.
CREATE TABLE segment_member (
    customer_id  uuid         NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    segment_id   uuid         NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
    bucket_id    uuid         NOT NULL REFERENCES segment_bucket (id) ON DELETE CASCADE,
    entered_at   timestamptz  NOT NULL,
    PRIMARY KEY (customer_id, segment_id)
);
CREATE INDEX segment_member_bucket_idx ON segment_member (segment_id, bucket_id, customer_id);

-- A full recompute's differences, found in one pass and applied in chunks: the bucket a customer was in when the
-- pass ran and the one it belongs in now (NULL: none). Re-evaluating a dirty customer supersedes its rows, and
-- only the upkeep moves members, so a staged row still holds when its chunk applies it.
CREATE TABLE segment_pending (
    customer_id  uuid  NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    segment_id   uuid  NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
    from_bucket  uuid,
    to_bucket    uuid,
    PRIMARY KEY (customer_id, segment_id)
);
CREATE INDEX segment_pending_segment_idx ON segment_pending (segment_id, customer_id);

-- Every entry and exit (a move between buckets is both), with its cause; history outlives definitions.
CREATE TABLE segment_change (
    customer_id  uuid         NOT NULL,
    segment_id   uuid         NOT NULL,
    at           timestamptz  NOT NULL,
    from_bucket  uuid,
    to_bucket    uuid,
    cause        varchar(16)  NOT NULL,
    PRIMARY KEY (customer_id, segment_id, at)
);
CREATE INDEX segment_change_segment_idx ON segment_change (segment_id, at);

-- Daily member counts per bucket, snapshotted by the upkeep; today's count is read live.
CREATE TABLE segment_count (
    segment_id  uuid     NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
    bucket_id   uuid     NOT NULL REFERENCES segment_bucket (id) ON DELETE CASCADE,
    day         date     NOT NULL,
    members     integer  NOT NULL,
    PRIMARY KEY (segment_id, bucket_id, day)
);

-- Customers to re-evaluate. Writers only insert (never wait on the upkeep); the upkeep claims the oldest marks
-- with SKIP LOCKED and deletes them in the transaction that applies their changes, so a crash loses none.
CREATE TABLE segment_dirty (
    customer_id  uuid         NOT NULL,
    seq          bigint       GENERATED ALWAYS AS IDENTITY,
    marked_at    timestamptz  NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX segment_dirty_seq_idx ON segment_dirty (seq);

CREATE FUNCTION segment_mark_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO segment_dirty (customer_id) SELECT DISTINCT id FROM changed;
    RETURN NULL;
END $$;

CREATE FUNCTION segment_mark_customer_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO segment_dirty (customer_id) SELECT DISTINCT customer_id FROM changed;
    RETURN NULL;
END $$;

CREATE TRIGGER segment_customer_inserted AFTER INSERT ON customer REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION segment_mark_customers();
CREATE TRIGGER segment_customer_updated AFTER UPDATE ON customer REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION segment_mark_customers();
CREATE TRIGGER segment_tag_assigned AFTER INSERT ON customer_tag REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION segment_mark_customer_ids();
CREATE TRIGGER segment_tag_changed AFTER UPDATE ON customer_tag REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION segment_mark_customer_ids();
CREATE TRIGGER segment_tag_removed AFTER DELETE ON customer_tag REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION segment_mark_customer_ids();
CREATE TRIGGER segment_event_recorded AFTER INSERT ON event REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION segment_mark_customer_ids();
