package io.headlesscrm.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.common.CronSchedules;
import io.headlesscrm.common.Rows;
import io.headlesscrm.common.work.WorkLoop;
import io.headlesscrm.customer.CustomerSql;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Offline pulls: at each fire of a pull rule's schedule, a lead for every customer who meets its customer condition
 * and has no open lead of the same type (nor one from the rule within its cooldown), assigned and reached as the
 * matcher's are. A fire is worked through the customers by id in chunks, each a transaction that takes the pull's row
 * (SKIP LOCKED: one instance at a time per pull, any instance), makes the chunk's leads and moves the pull's place on;
 * so a crash loses no more than the chunk under way, done again from the committed place. The unique key (customer,
 * rule, "pull:" and the fire's time) makes each lead once whatever happens; after the last chunk, the schedule's
 * next fire. A paused rule's fires wait; a fire missed meanwhile is made once when it is resumed.
 */
@ApplicationScoped
class LeadPulls {

    private static final Logger LOG = Logger.getLogger(LeadPulls.class);
    static final int CHUNK = 1000;
    private static final String CLAIM = "SELECT p.rule_id, r.version, p.next_at, p.after_customer FROM lead_pull p"
            + " JOIN lead_rule r ON r.id = p.rule_id WHERE r.status = 'ACTIVE' AND p.next_at <= now()"
            + " ORDER BY p.next_at LIMIT 1 FOR NO KEY UPDATE OF p SKIP LOCKED";
    // $1 candidates, $2 lead type, $3 open statuses, $4 rule, $5 cooldown seconds (0: none)
    // the customers' rows are locked as a foreign key would (lead has none): none is deleted before the leads are
    private static final String FREE = "SELECT c.id FROM " + CustomerSql.AS_C + " WHERE c.id = ANY($1::uuid[])"
            + " AND NOT EXISTS (SELECT 1 FROM lead l WHERE l.customer_id = c.id AND ((l.type = $2 AND l.status = ANY($3))"
            + " OR (l.rule_id = $4 AND l.created_at > now() - make_interval(secs => $5)))) FOR KEY SHARE OF c";
    private static final String MOVE_ON = "UPDATE lead_pull SET after_customer = $2, made = made + $3 WHERE rule_id = $1";
    private static final String NEXT = "UPDATE lead_pull SET next_at = $2, after_customer = NULL, made = 0"
            + " WHERE rule_id = $1 RETURNING made";
    /** Before every customer id: PostgreSQL orders uuids by their bytes, unsigned. */
    private static final UUID FIRST = new UUID(0, 0);
    private static final String PULL = "pull";

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
    CronSchedules crons;

    @Scheduled(every = "${crm.leads.pull-poll-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        if (!config.workersEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return WorkLoop.run(this::step, config.pollEvery(), config.maxRun(), LOG, "Lead pulls");
    }

    /** One chunk of one due pull; false when none is due. */
    Uni<Boolean> step() {
        return pool.withTransaction(conn -> conn.query(CLAIM).execute().flatMap(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(false);
            }
            Row r = rows.iterator().next();
            UUID rule = r.getUUID(0);
            long version = r.getLong(1);
            Instant fire = Rows.instant(r, 2);
            UUID after = r.getUUID(3) == null ? FIRST : r.getUUID(3);
            return versions.active(conn, List.of(Map.entry(rule, version))).flatMap(v -> {
                LeadRuleVersion pull = versions.get(rule, version);
                return chunk(conn, pull, fire, after).replaceWith(true);
            });
        }));
    }

    /** The next chunk of customers after {@code after} for this fire. */
    private Uni<Void> chunk(SqlConnection conn, LeadRuleVersion pull, Instant fire, UUID after) {
        return CustomerSql.idsAfter(conn, after, CHUNK).flatMap(chunk -> {
            if (chunk.isEmpty()) {
                return finish(conn, pull, fire);
            }
            UUID[] ids = chunk.toArray(UUID[]::new);
            UUID last = ids[ids.length - 1];
            return assignment.rules(conn).flatMap(assigning -> {
                Map<String, String> conditions = LeadConditions.of(List.of(), assigning);
                conditions.put(PULL, pull.compiled().customer());
                return LeadConditions.passes(conn, ids, conditions).flatMap(passes -> free(conn, pull,
                        chunk.stream().filter(c -> passes.getOrDefault(c, Set.of()).contains(PULL)).toArray(UUID[]::new))
                        .flatMap(free -> make(conn, pull, fire, free, assigning, passes))
                        .flatMap(made -> conn.preparedQuery(MOVE_ON).execute(Tuple.of(pull.ruleId(), last, made))
                                .replaceWithVoid()));
            });
        });
    }

    /** The fire is done: the pull waits for its schedule's next fire after now (a fire missed meanwhile is skipped). */
    private Uni<Void> finish(SqlConnection conn, LeadRuleVersion pull, Instant fire) {
        LeadRuleInput.Pull schedule = pull.definition().pull();
        Instant next = crons.next(schedule.cron(), LeadRuleDefinitions.zone(schedule), Instant.now())
                .orElse(Instant.parse("9999-12-31T00:00:00Z"));
        return conn.preparedQuery(NEXT).execute(Tuple.of(pull.ruleId(), next.atOffset(java.time.ZoneOffset.UTC)))
                .invoke(rows -> LOG.infof("Lead rule %s pulled %d leads for its fire at %s; next at %s", pull.key(),
                        rows.iterator().next().getLong(0), fire, next)).replaceWithVoid();
    }

    /**
     * Of the customers, those still there (locked until the chunk commits) and without an open lead of the rule's type
     * or one of the rule's within its cooldown.
     */
    private Uni<List<UUID>> free(SqlConnection conn, LeadRuleVersion pull, UUID[] customers) {
        if (customers.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        LeadRuleInput rule = pull.definition();
        long cooldown = rule.cooldown() == null ? 0 : rule.cooldown().toSeconds();
        return conn.preparedQuery(FREE).execute(Tuple.of(customers, rule.lead().type(), LeadStatus.OPEN.stream()
                .map(Enum::name).toArray(String[]::new), pull.ruleId(), cooldown)).map(rows -> {
                    List<UUID> free = new ArrayList<>();
                    rows.forEach(r -> free.add(r.getUUID(0)));
                    return free;
                });
    }

    /** Makes, assigns and reaches the chunk's leads; how many it made. */
    private Uni<Long> make(SqlConnection conn, LeadRuleVersion pull, Instant fire, List<UUID> customers,
            List<AssignmentRuleRepository.Compiled> assigning, Map<UUID, Set<String>> passes) {
        List<LeadMatcher.Fire> fires = customers.stream().map(c -> new LeadMatcher.Fire(c, Leads.newId(), pull,
                PULL + ":" + fire, fire, List.of())).toList();
        return leads.create(conn, fires).flatMap(made -> {
            List<LeadMatcher.Fire> fresh = fires.stream().filter(f -> made.made().contains(f.leadId())).toList();
            return assignment.assign(conn, fresh, assigning, passes).flatMap(v -> reach.reach(conn, fresh))
                    .replaceWith(made.leads());
        });
    }
}
