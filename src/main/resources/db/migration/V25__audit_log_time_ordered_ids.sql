-- Audit ids were random (gen_random_uuid()): each row went to a random place in the primary key, and an import writes
-- three rows per customer. On a scratch PostgreSQL 17, 3,000,000 rows in statements of 3000 took 67 s with random ids
-- and 38 s with time-ordered ones (the last 100 statements: 7.4 s against 4.0 s, and the gap grows with the table).
-- The service passes UUIDv7 ids it generates (AuditLog); a row written by SQL alone takes uuid_v7() (V15).
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT uuid_v7();
