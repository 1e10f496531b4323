-- The customer list's q (text contained in the name, email or phone) is a LIKE '%q%': without these it scans every
-- customer (1-2 s at a million when nothing matches). Trigram GIN indexes serve LIKE with any wildcard for three
-- characters or more; the planner ORs the three. pg_trgm is a trusted extension (PostgreSQL 13+), shipped with the
-- embedded PostgreSQL; an external server needs the contrib package (postgresql-contrib on Debian).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customer_name_trgm_idx ON customer USING gin (lower(name) gin_trgm_ops);
CREATE INDEX customer_email_trgm_idx ON customer USING gin (lower(email) gin_trgm_ops);
CREATE INDEX customer_phone_trgm_idx ON customer USING gin (phone gin_trgm_ops);
