package io.headlesscrm.common.work;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The one lease on a background job's row: how an instance takes a row of a table ({@code import_job},
 * {@code export_job}, {@code tag_job}, {@code campaign_run}) and keeps it. The table has {@code owner} and
 * {@code lease_until} columns. A claim takes the first takeable row in the given order with {@code SKIP LOCKED}, so
 * two instances never take the same one, sets this instance as its owner and its lease, and whatever else a claim
 * means for the table (a job turns RUNNING); each step of the work renews the lease in its transaction and stops when
 * another instance holds the row; a release hands the row back until a given time. Lease times are the database's
 * {@code now()}: what every instance shares.
 */
public final class JobLease {

    /** A job table's takeable rows: queued ones, and running ones whose instance died (their lease lapsed). */
    private static final String QUEUED_OR_LAPSED = "status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < now())";
    /** What claiming a job of a job table means besides the lease: it runs, and started when first claimed. */
    private static final String RUNNING = "status = 'RUNNING', started_at = coalesce(started_at, now())";

    private final String claim;
    private final String renew;
    private final String owner = UUID.randomUUID().toString();
    private final Supplier<Duration> lease;

    /**
     * The lease of a job table ({@code import_job}, {@code export_job}, {@code tag_job}): the oldest queued job, or a
     * running one whose lease lapsed, is claimed and turns RUNNING.
     */
    public static JobLease ofJobs(String table, Supplier<Duration> lease) {
        return new JobLease(table, RUNNING, QUEUED_OR_LAPSED, "created_at", lease);
    }

    /**
     * @param table the leased rows' table
     * @param onClaim what else a claim sets (SQL assignments; empty: nothing)
     * @param takeable which rows may be claimed (an SQL condition)
     * @param order which takeable row is claimed first (an SQL ORDER BY list)
     * @param lease how long a claim or renewal holds the row
     */
    public JobLease(String table, String onClaim, String takeable, String order, Supplier<Duration> lease) {
        this.lease = lease;
        this.claim = "UPDATE " + table + " SET " + (onClaim.isEmpty() ? "" : onClaim + ", ")
                + "owner = ?1, lease_until = now() + make_interval(secs => ?2) WHERE id = (SELECT id FROM " + table
                + " WHERE " + takeable + " ORDER BY " + order + " LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id";
        this.renew = "UPDATE " + table + " SET lease_until = now() + make_interval(secs => ?3) WHERE id = ?1 AND owner = ?2";
    }

    /** Which instance this is, as the rows it holds name it. */
    public String owner() {
        return owner;
    }

    /** A row this instance now holds, in a transaction of its own; null when there is none to take. */
    public Uni<UUID> claim() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(claim, UUID.class)
                .setParameter(1, owner).setParameter(2, seconds(lease.get())).getResultList()))
                .map((List<UUID> ids) -> ids.isEmpty() ? null : ids.get(0));
    }

    /** Extends the lease in the caller's transaction; false when another instance has taken the row over. */
    public Uni<Boolean> renew(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(renew).setParameter(1, id).setParameter(2, owner)
                .setParameter(3, seconds(lease.get())).executeUpdate()).map(n -> n == 1);
    }

    /**
     * Hands the row back, in a transaction of its own: its lease ends {@code after} from now (so a takeable condition
     * on {@code lease_until} leaves it alone until then); nothing when another instance holds it.
     */
    public Uni<Void> release(UUID id, Duration after) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(renew)
                .setParameter(1, id).setParameter(2, owner).setParameter(3, seconds(after)).executeUpdate()))
                .replaceWithVoid();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
