/**
 * The background-work kit: how every worker polls ({@link io.headlesscrm.common.work.WorkLoop}), holds a job
 * ({@link io.headlesscrm.common.work.JobLease}) and asks the time ({@link io.headlesscrm.common.work.ServiceClock}).
 * <p>
 * <b>Polling.</b> A worker that takes work from a queue or table polls from a {@code @Scheduled} method through
 * {@code WorkLoop}: {@code WorkLoop.run} (steps between the scheduler's ticks, looking again every {@code idle}) where
 * work must be picked up sooner than a second (lead matching and pulls, segment upkeep), {@code WorkLoop.drain} (step
 * after step while they find work, once per tick) for the rest (imports, exports, tag jobs, campaign runs and
 * conversions, lead expiry). Either way failures are logged one way (an unavailable database once per outage) and the next tick tries
 * again. Periodic maintenance that sweeps a table once in a while (hourly or ten-minute purges and partitions, the
 * tag-expiry sweep, segment counts) stays a plain {@code @Scheduled} method: it has no queue to keep up with.
 * <p>
 * <b>Leases.</b> A job row that one instance works for longer than a transaction (imports, exports, tag jobs, campaign
 * runs) is held with a {@code JobLease}: claimed with {@code SKIP LOCKED}, renewed in every step's transaction, taken
 * over by another instance once it lapses. Work done in one transaction per row holds plain row locks instead
 * ({@code FOR UPDATE SKIP LOCKED}, or an advisory lock: lead work, segment upkeep). The one lease of its own is an
 * import's upload ({@code dataio.UploadLease}, which says why).
 * <p>
 * <b>Time.</b> What is due, expired or late is decided with {@code ServiceClock} (in Java, or passed to the SQL that
 * selects what is due), which tests move forward ({@code advance}, then {@code reset}) instead of waiting. Lease
 * columns ({@code lease_until}) and what SQL compares with them use the database's {@code now()}: the time every
 * instance shares. {@code WorkLoop} paces itself on the wall clock.
 *
 * <pre>{@code
 * @Scheduled(every = "${crm.imports.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
 * Uni<Void> poll() {
 *     return WorkLoop.drain(() -> lease.claim().flatMap(id -> id == null ? Uni.createFrom().item(false)
 *             : run(id).replaceWith(true)), LOG, "Import worker");
 * }
 *
 * // each step, in its transaction: stop when another instance took the job over
 * lease.renew(id).flatMap(owned -> owned ? step.next(job) : Uni.createFrom().item(false))
 * }</pre>
 */
package io.headlesscrm.common.work;
