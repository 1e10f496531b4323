-- The customer list's exact filters, each served by an index at a million customers:
-- * email (case-insensitive, customer_email_idx on lower(email)) and phone (below);
-- * attr.<name>=<value>: the attribute equals the value as text, as a number when the value is one, or as a
--   boolean. The function is a single SQL expression, so PostgreSQL inlines it into the query and the containment
--   (@>) tests use customer_attributes_idx (GIN, jsonb_path_ops). An attribute name never contains a space, so
--   {" ": 0} is a containment no customer satisfies, for a value that is no number or boolean.
CREATE INDEX customer_phone_idx ON customer (phone);

CREATE FUNCTION customer_attribute_is(attributes jsonb, name text, value text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT attributes @> jsonb_build_object(name, value)
        OR attributes @> CASE WHEN value ~ '^-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?$'
                              THEN jsonb_build_object(name, value::numeric) ELSE '{" ": 0}'::jsonb END
        OR attributes @> CASE WHEN value IN ('true', 'false')
                              THEN jsonb_build_object(name, value::boolean) ELSE '{" ": 0}'::jsonb END
$$;
