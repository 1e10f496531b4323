-- Audit entries past their retention (crm.audit.retention) may be deleted, and only so: a transaction that says it
-- is purging the audit log (set_config('crm.purging', 'audit_log', true), what common/Purge does) may delete rows;
-- updates, truncation and any other deletion are still refused.
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('crm.purging', true) = 'audit_log' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
