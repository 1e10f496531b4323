-- Erasure redacts a person's identifying values (id, external ids, email, phone) where they are mentioned in rows
-- that are not theirs: a job's filter, an audit entry's changes. Each occurrence, in any string of a JSON document,
-- keys included, compared case-insensitively, becomes '[erased]'; the document's shape stays.
CREATE FUNCTION redact_text(t text, vals text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v text;
    p int;
    from_pos int;
BEGIN
    IF t IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH v IN ARRAY vals LOOP
        CONTINUE WHEN v IS NULL OR v = '';
        from_pos := 1;
        LOOP
            p := strpos(lower(substr(t, from_pos)), lower(v));
            EXIT WHEN p = 0;
            p := from_pos + p - 1;
            t := overlay(t PLACING '[erased]' FROM p FOR length(v));
            -- past the replacement, which may itself contain the value
            from_pos := p + length('[erased]');
        END LOOP;
    END LOOP;
    RETURN t;
END;
$$;

CREATE FUNCTION redact_jsonb(doc jsonb, vals text[]) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    CASE jsonb_typeof(doc)
        WHEN 'object' THEN
            RETURN (SELECT coalesce(jsonb_object_agg(redact_text(e.key, vals), redact_jsonb(e.value, vals)), '{}'::jsonb)
                    FROM jsonb_each(doc) e);
        WHEN 'array' THEN
            RETURN (SELECT coalesce(jsonb_agg(redact_jsonb(e.value, vals) ORDER BY e.n), '[]'::jsonb)
                    FROM jsonb_array_elements(doc) WITH ORDINALITY e(value, n));
        WHEN 'string' THEN
            RETURN to_jsonb(redact_text(doc #>> '{}', vals));
        ELSE
            RETURN doc;
    END CASE;
END;
$$;

-- Whether any of vals occurs in the document's text, case-insensitively, as it is or as JSON escapes it: the cheap
-- test that picks the rows redact_jsonb then walks (an erasure looks at every job and every definition's audit entry).
CREATE FUNCTION mentions(doc jsonb, vals text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT EXISTS (SELECT 1 FROM unnest(vals) v, lower(doc::text) d(t), lower(to_json(v)::text) j(quoted)
                   WHERE v <> '' AND (strpos(d.t, lower(v)) > 0
                                      OR strpos(d.t, substr(j.quoted, 2, length(j.quoted) - 2)) > 0))
$$;

-- The audit log stays append-only, with two declared exceptions: a purge past retention may delete rows (V22), and
-- an erasure may rewrite the changes of rows (set_config('crm.erasing', 'audit_log', true)): emptied when the entry is
-- about the erased customer (V23), redacted when it only mentions them (a job's filter). Who did what to which id,
-- and when, is kept.
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('crm.purging', true) = 'audit_log' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('crm.erasing', true) = 'audit_log'
            AND (NEW.id, NEW.occurred_at, NEW.actor_type, NEW.actor_id, NEW.actor_name, NEW.client_id, NEW.request_id,
                 NEW.entity, NEW.entity_id, NEW.action)
            IS NOT DISTINCT FROM (OLD.id, OLD.occurred_at, OLD.actor_type, OLD.actor_id, OLD.actor_name, OLD.client_id,
                 OLD.request_id, OLD.entity, OLD.entity_id, OLD.action) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- The entries that are not about a customer (definitions, jobs, keys): few beside the customers' own (three per
-- imported customer), so an erasure reads these through this index instead of the whole log.
CREATE INDEX audit_log_not_about_customers_idx ON audit_log (occurred_at)
    WHERE entity NOT IN ('customer', 'customer-tag', 'customer-consent');
