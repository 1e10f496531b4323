package io.headlesscrm.lead;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.common.Rows;
import io.headlesscrm.lead.LeadMatcher.Match;
import io.headlesscrm.lead.LeadView.TraceEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code lead_match} rows of the customers a matcher step holds ({@link LeadWorker}): read at the step's start,
 * and written back at its end, only those the step changed (the ones gone deleted, the new and moved ones inserted).
 */
@ApplicationScoped
class LeadMatches {

    private static final TypeReference<List<TraceEvent>> EVENTS = new TypeReference<>() {
    };
    private static final String READ = "SELECT customer_id, rule_id, rule_version, step, started_at, last_at,"
            + " step_deadline, expires_at, events::text FROM lead_match WHERE customer_id = ANY($1)";
    private static final String CLEAR = "DELETE FROM lead_match m USING unnest($1::uuid[], $2::uuid[]) AS x(c, r)"
            + " WHERE m.customer_id = x.c AND m.rule_id = x.r";
    private static final String WRITE = "INSERT INTO lead_match (customer_id, rule_id, rule_version, step, started_at,"
            + " last_at, step_deadline, expires_at, events) SELECT c, r, v, s, st, l, sd, ex, ev::jsonb FROM unnest("
            + "$1::uuid[], $2::uuid[], $3::bigint[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[],"
            + " $8::timestamptz[], $9::text[]) AS m(c, r, v, s, st, l, sd, ex, ev)";

    @Inject
    ObjectMapper mapper;

    /** The customers' matches, by customer and rule. */
    Uni<Map<UUID, Map<UUID, Match>>> read(SqlConnection conn, UUID[] customers) {
        return conn.preparedQuery(READ).execute(Tuple.of((Object) customers)).map(rows -> {
            Map<UUID, Map<UUID, Match>> matches = new HashMap<>();
            for (Row r : rows) {
                Match m = match(r);
                matches.computeIfAbsent(r.getUUID(0), k -> new HashMap<>()).put(m.ruleId(), m);
            }
            return matches;
        });
    }

    /** Writes back the matches that changed between {@code before} and the outcomes (one per customer, in order). */
    Uni<Void> write(SqlConnection conn, List<UUID> customers, Map<UUID, Map<UUID, Match>> before,
            List<LeadMatcher.Outcome> outcomes) {
        List<UUID[]> gone = new ArrayList<>();
        List<Match> kept = new ArrayList<>();
        List<UUID> owners = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            UUID customer = customers.get(i);
            Map<UUID, Match> was = before.getOrDefault(customer, Map.of());
            LeadMatcher.Outcome o = outcomes.get(i);
            was.forEach((rule, m) -> {
                if (!m.equals(o.matches().get(rule))) {
                    gone.add(new UUID[] { customer, rule });
                }
            });
            o.matches().forEach((rule, m) -> {
                if (!m.equals(was.get(rule))) {
                    kept.add(m);
                    owners.add(customer);
                }
            });
        }
        Uni<Void> cleared = gone.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(CLEAR).execute(Tuple.of(gone.stream().map(g -> g[0]).toArray(UUID[]::new),
                        gone.stream().map(g -> g[1]).toArray(UUID[]::new))).replaceWithVoid();
        return cleared.flatMap(v -> kept.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(WRITE).execute(rows(owners, kept)).replaceWithVoid());
    }

    private Tuple rows(List<UUID> owners, List<Match> kept) {
        int n = kept.size();
        UUID[] rule = new UUID[n];
        Long[] version = new Long[n];
        Integer[] step = new Integer[n];
        OffsetDateTime[][] times = new OffsetDateTime[4][n];
        String[] events = new String[n];
        for (int i = 0; i < n; i++) {
            Match m = kept.get(i);
            rule[i] = m.ruleId();
            version[i] = m.version();
            step[i] = m.step();
            times[0][i] = utc(m.startedAt());
            times[1][i] = utc(m.lastAt());
            times[2][i] = utc(m.stepDeadline());
            times[3][i] = utc(m.expiresAt());
            events[i] = Jsons.text(mapper, m.events());
        }
        return Tuple.tuple(List.of(owners.toArray(UUID[]::new), rule, version, step, times[0], times[1], times[2],
                times[3], events));
    }

    private Match match(Row r) {
        try {
            return new Match(r.getUUID(1), r.getLong(2), r.getInteger(3), Rows.instant(r, 4), Rows.instant(r, 5),
                    Rows.instant(r, 6), Rows.instant(r, 7), mapper.readValue(r.getString(8), EVENTS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A lead match has an unreadable trace", e);
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
