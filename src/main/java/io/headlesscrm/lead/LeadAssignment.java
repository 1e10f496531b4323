package io.headlesscrm.lead;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.lead.AssignmentRuleRepository.Compiled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Assigns the leads the matcher makes, in its transaction: the first assignment rule (by position) a lead meets
 * picks, among its team's active reps (with the customer's territory, for a TERRITORY rule) who are under their cap
 * of open leads, the one who has waited longest for a lead (round robin), locking that rep's row (SKIP LOCKED: two
 * matchers never give the same rep's last free place twice). A lead no rep has room for stays NEW.
 */
@ApplicationScoped
class LeadAssignment {

    static final String BY = "assignment-rule";
    private static final String PICK = "WITH pick AS (SELECT r.team_id, r.actor_id FROM sales_rep r WHERE r.team_id = $1"
            + " AND r.active AND ($2::text IS NULL OR r.territory = $2::text) AND (r.max_open IS NULL OR (SELECT count(*)"
            + " FROM lead l WHERE l.assignee = r.actor_id AND l.status = ANY($3)) < r.max_open)"
            + " ORDER BY r.last_assigned_at NULLS FIRST, r.actor_id LIMIT 1 FOR UPDATE OF r SKIP LOCKED)"
            + " UPDATE sales_rep s SET last_assigned_at = clock_timestamp() FROM pick WHERE s.team_id = pick.team_id"
            + " AND s.actor_id = pick.actor_id RETURNING s.actor_id";

    @Inject
    AssignmentRuleRepository rules;
    @Inject
    CustomerRepository customers;
    @Inject
    Leads leads;

    Uni<List<Compiled>> rules(SqlConnection conn) {
        return rules.ordered(conn);
    }

    /** The key under which the matcher's customer conditions say whether a customer meets the rule's. */
    static String key(Compiled rule) {
        return "assign:" + rule.rule().id();
    }

    /** The first rule the lead meets, or null. */
    static Compiled first(List<Compiled> all, LeadMatcher.Fire lead, Set<String> passes) {
        LeadRuleInput.Output out = lead.rule().definition().lead();
        LeadPriority priority = out.priority() == null ? LeadPriority.NORMAL : out.priority();
        for (Compiled c : all) {
            AssignmentRuleInput.When w = c.rule().when();
            if (w == null || ((w.leadTypes() == null || w.leadTypes().contains(out.type()))
                    && (w.priorities() == null || w.priorities().contains(priority))
                    && (w.rules() == null || w.rules().contains(lead.rule().key()))
                    && (c.customer() == null || passes.contains(key(c))))) {
                return c;
            }
        }
        return null;
    }

    /** Assigns each made lead its first rule takes, one at a time. */
    Uni<Void> assign(SqlConnection conn, List<LeadMatcher.Fire> made, List<Compiled> all, Map<UUID, Set<String>> passes) {
        List<LeadMatcher.Fire> taken = new ArrayList<>();
        List<Compiled> by = new ArrayList<>();
        for (LeadMatcher.Fire f : made) {
            Compiled c = first(all, f, passes.getOrDefault(f.customerId(), Set.of()));
            if (c != null) {
                taken.add(f);
                by.add(c);
            }
        }
        return territories(conn, taken, by).flatMap(territory -> next(conn, taken, by, territory, 0));
    }

    private Uni<Void> next(SqlConnection conn, List<LeadMatcher.Fire> taken, List<Compiled> by,
            Map<String, Map<UUID, String>> territory, int i) {
        if (i == taken.size()) {
            return Uni.createFrom().voidItem();
        }
        LeadMatcher.Fire lead = taken.get(i);
        Compiled rule = by.get(i);
        String attribute = rule.rule().territoryAttribute();
        String where = attribute == null ? null : territory.getOrDefault(attribute, Map.of()).get(lead.customerId());
        if (attribute != null && where == null) {
            return next(conn, taken, by, territory, i + 1); // a customer without a territory: no TERRITORY rep fits
        }
        return conn.preparedQuery(PICK).execute(Tuple.of(rule.teamId(), where, LeadStatus.OPEN.stream().map(Enum::name)
                .toArray(String[]::new))).flatMap(rows -> rows.size() == 0 ? Uni.createFrom().voidItem()
                        : leads.move(conn, new UUID[] { lead.leadId() }, new String[] { "assigned by " + rule.rule().name() },
                                List.of(LeadStatus.NEW), LeadStatus.ASSIGNED, rows.iterator().next().getString(0),
                                new Leads.By(BY, rule.rule().key())).replaceWithVoid())
                .flatMap(v -> next(conn, taken, by, territory, i + 1));
    }

    /** The territory attributes the rules read, per attribute and customer. */
    private Uni<Map<String, Map<UUID, String>>> territories(SqlConnection conn, List<LeadMatcher.Fire> taken,
            List<Compiled> by) {
        Map<String, List<UUID>> wanted = new HashMap<>();
        for (int i = 0; i < taken.size(); i++) {
            String attribute = by.get(i).rule().territoryAttribute();
            if (attribute != null) {
                wanted.computeIfAbsent(attribute, a -> new ArrayList<>()).add(taken.get(i).customerId());
            }
        }
        Map<String, Map<UUID, String>> values = new HashMap<>();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (var e : wanted.entrySet()) {
            all = all.flatMap(v -> customers.attribute(conn, e.getValue(), e.getKey())
                    .invoke(found -> values.put(e.getKey(), found)).replaceWithVoid());
        }
        return all.replaceWith(values);
    }
}
