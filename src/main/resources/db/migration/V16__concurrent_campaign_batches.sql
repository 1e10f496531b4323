-- A run's batches are decided two at a time (crm.campaigns.parallel-batches), in transactions of their own over
-- disjoint recipients. Both add to the same rows of the run's counts (and report), so each statement takes those rows'
-- locks in key order: the second waits for the first to commit rather than the two deadlocking on rows taken in
-- opposite orders.
CREATE OR REPLACE FUNCTION campaign_recipients_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO campaign_run_count AS k (run_id, variant, outcome, n)
        SELECT run_id, coalesce(variant, ''), outcome, count(*) FROM added GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (run_id, variant, outcome) DO UPDATE SET n = k.n + EXCLUDED.n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO campaign_run_count AS k (run_id, variant, outcome, n)
        SELECT run_id, variant, outcome, sum(d) FROM (
            SELECT run_id, coalesce(variant, '') AS variant, outcome, 1 AS d FROM added
            UNION ALL SELECT run_id, coalesce(variant, ''), outcome, -1 FROM removed) x
        GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (run_id, variant, outcome) DO UPDATE SET n = k.n + EXCLUDED.n;
    ELSE
        -- no insert: when a run's deletion cascades here, its counts go with it
        UPDATE campaign_run_count k SET n = k.n - x.n FROM (SELECT run_id, coalesce(variant, '') AS variant, outcome,
            count(*) AS n FROM removed GROUP BY 1, 2, 3) x
        WHERE k.run_id = x.run_id AND k.variant = x.variant AND k.outcome = x.outcome;
    END IF;
    RETURN NULL;
END $$;
