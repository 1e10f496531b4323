-- Touchpoints created by one statement (a campaign run's batch) take their ids from the database. Like the ids the
-- service makes (UUIDv7, RFC 9562), they start with the creation time in milliseconds, so new rows land at the end
-- of the primary-key index and ids still grow with time for keyset paging; the other 74 bits are random.
CREATE FUNCTION crm_uuid_v7(at timestamptz) RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1),
        'hex')::uuid
$$;

-- A touchpoint's first status is implied by the touchpoint (SUPPRESSED never changes, anything else was QUEUED, at
-- its creation), so it is no longer written as a history line: one row less per touchpoint a campaign sends.
-- Partners never report QUEUED or SUPPRESSED, so these lines are exactly the first ones written before.
DELETE FROM touchpoint_status_change WHERE status IN ('QUEUED', 'SUPPRESSED');
