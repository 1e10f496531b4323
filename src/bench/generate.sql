-- Bench data at issue 12's scale: :customers customers and :events events (psql variables), into the service's own
-- (migrated) schema. Set-based: a few minutes on the project's 2-core machine. Rows are deterministic per n, so
-- runs are comparable; customer n has id md5('crm-bench-' || n)::uuid like the other benchmarks.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
-- a bulk load beneath the service: its triggers would mark every customer for segment upkeep one by one; instead
-- the saved segments are recomputed in full (set-based, in chunks) once the data is in, as after an import
SET session_replication_role = replica;

INSERT INTO customer (id, external_id, type, name, email, phone, registered_at, last_active_at, attributes,
                      created_at, updated_at, version)
SELECT md5('crm-bench-' || n)::uuid, 'bench-' || n,
       CASE WHEN n % 10 = 0 THEN 'ENTERPRISE' ELSE 'INDIVIDUAL' END,
       'Customer ' || n, 'user' || n || '@example.com', '+86138' || lpad(n::text, 8, '0'),
       now() - (n % 720) * interval '1 day', NULL,
       jsonb_build_object('city', (ARRAY['Beijing','Shanghai','Guangzhou','Shenzhen','Hangzhou','Chengdu','Wuhan',
                                         'Nanjing','Xian','Suzhou'])[n % 10 + 1],
                          'age', 18 + n % 63, 'tier', (ARRAY['gold','silver','bronze'])[n % 3 + 1]),
       now() - (n % 720) * interval '1 day', now(), 0
FROM generate_series(1, :customers) AS n;

INSERT INTO tag (id, key, name, created_at, updated_at) VALUES
    (md5('crm-bench-tag-likes-hotels')::uuid, 'likes-hotels', 'Likes hotels', now(), now()),
    (md5('crm-bench-tag-vip')::uuid, 'vip', 'VIP', now(), now())
ON CONFLICT DO NOTHING;
INSERT INTO customer_tag (customer_id, tag_id, source, assigned_by, assigned_at)
SELECT md5('crm-bench-' || n)::uuid, md5('crm-bench-tag-likes-hotels')::uuid, 'IMPORT', 'bench', now()
FROM generate_series(1, :customers) AS n WHERE n % 5 = 0;
INSERT INTO customer_tag (customer_id, tag_id, source, assigned_by, assigned_at)
SELECT md5('crm-bench-' || n)::uuid, md5('crm-bench-tag-vip')::uuid, 'IMPORT', 'bench', now()
FROM generate_series(1, :customers) AS n WHERE n % 17 = 0;

-- :events events over the last 89 days (the partitions the service keeps), 10 per customer on average; customers
-- with n % 50 < 3 are heavy hotel bookers (many large hotel orders), so the recompute's audience is not empty
INSERT INTO event (customer_id, occurred_at, event_id, id, type, properties, items, context, received_at)
SELECT md5('crm-bench-' || c)::uuid, now() - (i % 89) * interval '1 day' - (i % 86399) * interval '1 second',
       'g-' || i, md5('crm-bench-event-' || i)::uuid, t,
       jsonb_build_object('category', CASE WHEN c % 50 < 3 THEN 'hotel' ELSE (ARRAY['hotel','flight','food'])[i % 3 + 1] END,
                          'amount', CASE WHEN c % 50 < 3 THEN 2500 + i % 1000 ELSE i % 5000 END),
       CASE WHEN t IN ('order', 'add_to_cart') THEN jsonb_build_array(jsonb_build_object('sku', 'SKU-' || i % 500,
            'price', i % 5000, 'quantity', 1)) END,
       '{"channel": "app"}'::jsonb, now()
FROM (SELECT i, CASE WHEN i % 10 < 3 THEN ((i / 10) % (:customers / 50 - 1) + 1) * 50 + i % 3
                     ELSE (i::bigint * 7919 % :customers + 1)::int END AS c,
             CASE WHEN i % 10 < 3 THEN 'order'
                  ELSE (ARRAY['view','view','view','add_to_cart','order','order','pay','refund','view','order'])[i % 10 + 1] END AS t
      FROM generate_series(1, :events) AS i) g;

UPDATE customer c SET last_active_at = a.at
FROM (SELECT customer_id, max(occurred_at) AS at FROM event GROUP BY customer_id) a WHERE c.id = a.customer_id;
ANALYZE customer; ANALYZE customer_tag; ANALYZE tag; ANALYZE event;
DELETE FROM segment_pending;
UPDATE segment SET refresh_cause = 'created', refresh_staged = false;
