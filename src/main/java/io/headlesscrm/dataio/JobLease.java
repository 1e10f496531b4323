package io.headlesscrm.dataio;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * How an instance takes a background job of a table ({@code import_job}, {@code export_job}) and keeps it: the oldest
 * queued job, or a running one whose lease lapsed because its instance died, claimed with {@code SKIP LOCKED} so two
 * instances never take the same one, and renewed by each step, which stops when another instance holds it.
 */
final class JobLease {

    private final String claim;
    private final String renew;
    private final String owner = UUID.randomUUID().toString();
    private final Supplier<Duration> lease;

    JobLease(String table, Supplier<Duration> lease) {
        this.lease = lease;
        this.claim = "UPDATE " + table + " SET status = 'RUNNING', owner = ?1, lease_until = now() + make_interval(secs => ?2),"
                + " started_at = coalesce(started_at, now()) WHERE id = (SELECT id FROM " + table
                + " WHERE status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < now())"
                + " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id";
        this.renew = "UPDATE " + table + " SET lease_until = now() + make_interval(secs => ?3) WHERE id = ?1 AND owner = ?2";
    }

    /** A job this instance now holds, in a transaction of its own; null when there is none to take. */
    Uni<UUID> claim() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(claim, UUID.class)
                .setParameter(1, owner).setParameter(2, seconds()).getResultList()))
                .map((List<UUID> ids) -> ids.isEmpty() ? null : ids.get(0));
    }

    /** Extends the lease in the caller's transaction; false when another instance has taken the job over. */
    Uni<Boolean> renew(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(renew).setParameter(1, id).setParameter(2, owner)
                .setParameter(3, seconds()).executeUpdate()).map(n -> n == 1);
    }

    private double seconds() {
        return lease.get().toMillis() / 1000.0;
    }
}
