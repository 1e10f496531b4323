-- API keys: only a SHA-256 hash of the key is kept; the key itself is shown once, when it is created.
CREATE TABLE api_key (
    id            uuid         PRIMARY KEY,
    name          varchar(100) NOT NULL,
    key_hash      char(64)     NOT NULL,
    key_hint      varchar(32)  NOT NULL,
    roles         varchar(200) NOT NULL, -- space-separated role names
    created_at    timestamptz  NOT NULL,
    created_by    varchar(255) NOT NULL,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
CREATE UNIQUE INDEX api_key_hash_key ON api_key (key_hash);
CREATE INDEX api_key_created_at_id_idx ON api_key (created_at, id);

-- Audit log: one row per create, update or delete, written in the transaction of the change. Append-only.
CREATE TABLE audit_log (
    id           uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    occurred_at  timestamptz  NOT NULL DEFAULT now(),
    actor_type   varchar(16)  NOT NULL CHECK (actor_type IN ('user', 'client', 'api-key', 'system')),
    actor_id     varchar(255) NOT NULL,
    actor_name   varchar(255),
    client_id    varchar(255),
    request_id   varchar(128),
    entity       varchar(32)  NOT NULL,
    entity_id    varchar(128) NOT NULL,
    action       varchar(16)  NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    changes      jsonb        NOT NULL CHECK (jsonb_typeof(changes) = 'object')
);
-- newest first, optionally narrowed by entity or actor
CREATE INDEX audit_log_occurred_at_id_idx ON audit_log (occurred_at, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, occurred_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, occurred_at);

-- Nothing, not even a bug in this service, may rewrite history: updates, deletes and truncation are refused.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
