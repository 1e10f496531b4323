package io.headlesscrm.lead;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.common.Rows;
import io.headlesscrm.common.work.ServiceClock;
import io.headlesscrm.common.work.WorkLoop;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.lead.LeadMatcher.Match;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs the lead rules, on every instance. A step takes customers with queued events or a due deadline, each under
 * an advisory lock on the customer (so no two transactions ever match one customer's events at once), takes their
 * whole queues, and in one transaction: evaluates every step, conversion and customer condition in SQL, moves their
 * matches on in {@link LeadMatcher}, writes the matches back ({@link LeadMatches}) and makes and closes leads
 * ({@link Leads}). A crash rolls the step back: the queue, the matches and the deadlines are as before, so nothing is
 * lost or done twice. The matcher's "now" is {@link ServiceClock}'s.
 */
@ApplicationScoped
class LeadWorker {

    private static final Logger LOG = Logger.getLogger(LeadWorker.class);
    /** The advisory lock space of customers' matches (the key is the customer id's hash); a deletion takes it too. */
    static final int LOCK_SPACE = CustomerRepository.WORK_LOCK;

    // the customers of the due deadlines first, then of the oldest queued events, in that order (a step takes the head
    // of the queue: what it leaves is not walked again by the next claim); twice a batch of events is read so that
    // another instance's claim, which skips the customers this one has locked, finds work too
    private static final String CLAIM = "WITH d AS (SELECT customer_id FROM lead_match WHERE due_at <= $2"
            + " ORDER BY due_at LIMIT $1), q AS (SELECT customer_id, seq FROM lead_event ORDER BY seq LIMIT $1 * 2),"
            + " c AS MATERIALIZED (SELECT customer_id FROM (SELECT customer_id, 0::bigint AS o FROM d UNION ALL"
            + " SELECT customer_id, seq FROM q) x GROUP BY customer_id ORDER BY min(o))"
            + " SELECT customer_id FROM c WHERE pg_try_advisory_xact_lock(" + LOCK_SPACE + ", hashtext(customer_id::text))"
            + " LIMIT $1";
    // the conditions read e.type, e.properties and e.items, which the queue copies from the event
    private static final String EVENTS_SQL = "WITH e AS (DELETE FROM lead_event WHERE customer_id = ANY($1) RETURNING *)"
            + " SELECT e.customer_id, e.id, e.type, e.occurred_at, %s FROM e ORDER BY e.customer_id, e.occurred_at,"
            + " e.event_id";
    // started: the lead's first event (a conversion after it closes the lead, LeadMatcher.convert)
    private static final String LEADS = "SELECT customer_id, rule_id, id, status, triggered_at,"
            + " coalesce((trace #>> '{events,0,occurredAt}')::timestamptz, triggered_at) FROM lead l"
            + " WHERE customer_id = ANY($1) AND rule_id IS NOT NULL AND (status IN ('NEW', 'ASSIGNED')"
            + " OR triggered_at = (SELECT max(triggered_at) FROM lead m WHERE m.customer_id = l.customer_id"
            + " AND m.rule_id = l.rule_id))";

    @Inject
    Pool pool;
    @Inject
    LeadsConfig config;
    @Inject
    LeadRuleVersions versions;
    @Inject
    Leads leads;
    @Inject
    LeadAssignment assignment;
    @Inject
    LeadReach reach;
    @Inject
    LeadMatches matchRows;
    @Inject
    ServiceClock clock;

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        if (!config.workersEnabled()) {
            return Uni.createFrom().voidItem();
        }
        // several steps at once, each its own transaction on its own customers (a claim skips those another has
        // locked), as several instances would: one step's round trips leave cores idle that another's use
        return Uni.join().all(IntStream.range(0, config.parallelSteps()).mapToObj(i -> WorkLoop.run(this::step,
                config.pollEvery(), config.maxRun(), LOG, "Lead matcher")).toList()).andCollectFailures()
                .replaceWithVoid();
    }

    /** One transaction's worth of matching; false when no customer had anything due. */
    Uni<Boolean> step() {
        // stage ends: 0 start, 1 claim, 2 matches and rules, 3 events, 4 conditions and leads, 5 matching, 6 writes,
        // 7 commit; 8 the number of events
        long[] at = new long[9];
        at[0] = System.nanoTime();
        Instant now = clock.instant(); // what is due, and how the matcher decides, by one clock
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM)
                .execute(Tuple.of(config.batchCustomers(), now.atOffset(ZoneOffset.UTC))).flatMap(rows -> {
                    at[1] = System.nanoTime();
                    List<UUID> customers = new ArrayList<>();
                    rows.forEach(r -> customers.add(r.getUUID(0)));
                    return customers.isEmpty() ? Uni.createFrom().item(false)
                            : work(conn, customers, now, at).replaceWith(true);
                })).invoke(found -> {
                    at[7] = System.nanoTime();
                    if (found && LOG.isDebugEnabled()) {
                        LOG.debugf("Lead matcher step: %d events; ms: claim %.1f, matches %.1f, events %.1f, conditions "
                                + "%.1f, matching %.1f, writes %.1f, commit %.1f", at[8], ms(at, 1), ms(at, 2), ms(at, 3),
                                ms(at, 4), ms(at, 5), ms(at, 6), ms(at, 7));
                    }
                });
    }

    private static double ms(long[] at, int stage) {
        return (at[stage] - at[stage - 1]) / 1e6;
    }

    /** Matches the customers' queued events and deadlines. */
    private Uni<Void> work(SqlConnection conn, List<UUID> customers, Instant now, long[] at) {
        UUID[] ids = customers.toArray(UUID[]::new);
        return matchRows.read(conn, ids).flatMap(matches -> {
            List<Map.Entry<UUID, Long>> pendingVersions = new ArrayList<>();
            matches.values().forEach(byRule -> byRule.values()
                    .forEach(m -> pendingVersions.add(Map.entry(m.ruleId(), m.version()))));
            return versions.active(conn, pendingVersions).flatMap(active -> assignment.rules(conn).flatMap(assigning -> {
                at[2] = System.nanoTime();
                Set<LeadRuleVersion> inPlay = new LinkedHashSet<>(active.values());
                pendingVersions.forEach(p -> {
                    LeadRuleVersion v = versions.get(p.getKey(), p.getValue());
                    if (v != null) {
                        inPlay.add(v);
                    }
                });
                LeadMatcher.Slots slots = new LeadMatcher.Slots(inPlay);
                return conn.preparedQuery(String.format(EVENTS_SQL, bits(slots))).execute(Tuple.of((Object) ids))
                        .invoke(rows -> {
                            at[3] = System.nanoTime();
                            at[8] = rows.size();
                        })
                        .flatMap(eventRows -> conn.preparedQuery(LEADS).execute(Tuple.of((Object) ids))
                                .flatMap(leadRows -> {
                                    LeadMatcher matcher = new LeadMatcher(active, versions::get, slots);
                                    Map<UUID, List<LeadMatcher.Event>> events = events(eventRows);
                                    Map<UUID, Known> known = known(leadRows);
                                    // first as if every customer condition held, noting which ones the rules ask
                                    // about: most customers' runs ask none and are final
                                    Map<String, Set<UUID>> asked = new HashMap<>();
                                    List<LeadMatcher.Outcome> outcomes = new ArrayList<>();
                                    for (UUID c : customers) {
                                        outcomes.add(matcher.run(customer(c, events, matches, known,
                                                asking(c, asked)), now));
                                    }
                                    Set<UUID> rerun = new HashSet<>();
                                    asked.values().forEach(rerun::addAll);
                                    askAssignments(asked, customers, outcomes, assigning);
                                    return LeadConditions.passes(conn, asked, LeadConditions.of(slots.versions(),
                                            assigning)).flatMap(passes -> {
                                                at[4] = System.nanoTime();
                                                for (int i = 0; i < customers.size(); i++) {
                                                    UUID c = customers.get(i);
                                                    if (rerun.contains(c)) {
                                                        outcomes.set(i, matcher.run(customer(c, events, matches, known,
                                                                passes.getOrDefault(c, Set.of())::contains), now));
                                                    }
                                                }
                                                at[5] = System.nanoTime();
                                                return write(conn, customers, matches, outcomes, assigning, passes)
                                                        .invoke(n -> at[6] = System.nanoTime());
                                            });
                                }));
            }));
        });
    }

    private LeadMatcher.Customer customer(UUID c, Map<UUID, List<LeadMatcher.Event>> events,
            Map<UUID, Map<UUID, Match>> matches, Map<UUID, Known> known, Predicate<String> passes) {
        Known k = known.getOrDefault(c, new Known());
        return new LeadMatcher.Customer(c, events.getOrDefault(c, List.of()),
                pendingOnly(matches.getOrDefault(c, Map.of())), k.last, k.unworked, passes);
    }

    /** The assignment rules' conditions are asked about every customer a rule may make a lead for. */
    private static void askAssignments(Map<String, Set<UUID>> asked, List<UUID> customers,
            List<LeadMatcher.Outcome> outcomes, List<AssignmentRuleRepository.Compiled> assigning) {
        List<UUID> firing = new ArrayList<>();
        for (int i = 0; i < customers.size(); i++) {
            if (!outcomes.get(i).fires().isEmpty()) {
                firing.add(customers.get(i));
            }
        }
        assigning.stream().filter(a -> a.customer() != null)
                .forEach(a -> asked.computeIfAbsent(LeadAssignment.key(a), k -> new HashSet<>()).addAll(firing));
    }

    /**
     * The customer conditions as the first run sees them: each holds, and each one asked about is noted for the
     * customer. Holding can only add leads (a condition is the same for all of a customer's events), so the customers
     * with a lead in that run are all the assignment rules need deciding.
     */
    private static Predicate<String> asking(UUID customer, Map<String, Set<UUID>> asked) {
        return key -> {
            asked.computeIfAbsent(key, k -> new HashSet<>()).add(customer);
            return true;
        };
    }

    /** Matches whose version is gone (their rule was deleted meanwhile) are dropped. */
    private Map<UUID, Match> pendingOnly(Map<UUID, Match> matches) {
        Map<UUID, Match> kept = new HashMap<>();
        matches.forEach((rule, m) -> {
            if (versions.get(m.ruleId(), m.version()) != null) {
                kept.put(rule, m);
            }
        });
        return kept;
    }

    /** The SQL that says, per slot, whether event e meets it: a string of 0 and 1. */
    private static String bits(LeadMatcher.Slots slots) {
        List<String> parts = new ArrayList<>();
        for (LeadRuleVersion v : slots.versions()) {
            v.compiled().steps().forEach(p -> parts.add("CASE WHEN " + p + " THEN '1' ELSE '0' END"));
            v.compiled().conversions().forEach(p -> parts.add("CASE WHEN " + p + " THEN '1' ELSE '0' END"));
        }
        return parts.isEmpty() ? "''" : String.join(" || ", parts);
    }

    /** Writes back the matches that changed ({@link LeadMatches}), makes the fired leads and closes the converted ones. */
    private Uni<Void> write(SqlConnection conn, List<UUID> customers, Map<UUID, Map<UUID, Match>> before,
            List<LeadMatcher.Outcome> outcomes, List<AssignmentRuleRepository.Compiled> assigning,
            Map<UUID, Set<String>> passes) {
        List<LeadMatcher.Fire> fires = new ArrayList<>();
        List<LeadMatcher.Converted> converted = new ArrayList<>();
        outcomes.forEach(o -> {
            fires.addAll(o.fires());
            converted.addAll(o.converted());
        });
        return matchRows.write(conn, customers, before, outcomes)
                .flatMap(v -> leads.create(conn, fires)).flatMap(made -> {
                    List<LeadMatcher.Fire> fresh = fires.stream().filter(f -> made.made().contains(f.leadId())).toList();
                    return assignment.assign(conn, fresh, assigning, passes).flatMap(v -> reach.reach(conn, fresh))
                            .flatMap(v -> close(conn, converted));
                });
    }

    /** Closes the converted leads, each with a note naming its conversion. */
    private Uni<Void> close(SqlConnection conn, List<LeadMatcher.Converted> converted) {
        UUID[] ids = converted.stream().map(LeadMatcher.Converted::leadId).toArray(UUID[]::new);
        String[] notes = converted.stream().map(c -> "The customer converted by themselves: " + c.conversion().type()
                + " event " + c.conversion().eventId() + " at " + c.conversion().occurredAt()).toArray(String[]::new);
        return leads.move(conn, ids, notes, LeadStatus.UNWORKED, LeadStatus.CONVERTED_NATURALLY, null, Leads.By.SERVICE)
                .replaceWithVoid();
    }

    private static Map<UUID, List<LeadMatcher.Event>> events(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        Map<UUID, List<LeadMatcher.Event>> events = new HashMap<>();
        for (Row r : rows) {
            events.computeIfAbsent(r.getUUID(0), k -> new ArrayList<>()).add(new LeadMatcher.Event(r.getUUID(1),
                    r.getString(2), Rows.instant(r, 3), r.getString(4)));
        }
        return events;
    }

    /** A customer's leads as the matcher needs them: the latest per rule (cooldown) and the unworked ones. */
    private static final class Known {
        final Map<UUID, Instant> last = new HashMap<>();
        final List<LeadMatcher.Unworked> unworked = new ArrayList<>();
    }

    private static Map<UUID, Known> known(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        Map<UUID, Known> known = new HashMap<>();
        for (Row r : rows) {
            Known k = known.computeIfAbsent(r.getUUID(0), c -> new Known());
            Instant at = Rows.instant(r, 4);
            k.last.merge(r.getUUID(1), at, (a, b) -> a.isAfter(b) ? a : b);
            if (LeadStatus.UNWORKED.contains(LeadStatus.valueOf(r.getString(3)))) {
                k.unworked.add(new LeadMatcher.Unworked(r.getUUID(2), r.getUUID(1), Rows.instant(r, 5)));
            }
        }
        return known;
    }
}
