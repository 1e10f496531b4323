package io.headlesscrm.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class EventPartitionsTest {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("'_p'yyyyMM");

    @Inject
    EventPartitions partitions;
    @Inject
    EventsConfig config;
    @Inject
    Pool pool;

    @Test
    void monthsFromTheRetentionLimitToAheadExistForBothTables() {
        YearMonth now = YearMonth.now(java.time.ZoneOffset.UTC);
        for (String table : EventPartitions.TABLES) {
            List<String> names = partitionsOf(table);
            for (int ahead = 0; ahead <= config.partitionsAhead(); ahead++) {
                assertThat(names).contains(table + now.plusMonths(ahead).format(SUFFIX));
            }
            assertThat(names).contains(table + EventPartitions.month(Instant.now().minus(config.retention())).format(SUFFIX));
        }
    }

    @Test
    void aMonthWhollyOlderThanTheRetentionIsDroppedAndRunningTwiceChangesNothing() {
        pool.query("CREATE TABLE IF NOT EXISTS event_p200001 PARTITION OF event FOR VALUES FROM ('2000-01-01T00:00:00Z')"
                + " TO ('2000-02-01T00:00:00Z')").execute().await().indefinitely();
        pool.query("INSERT INTO event (customer_id, occurred_at, event_id, id, type, received_at) VALUES"
                + " (gen_random_uuid(), '2000-01-15T00:00:00Z', 'old', gen_random_uuid(), 'view', now())")
                .execute().await().indefinitely();
        List<String> before = partitionsOf("event");
        assertThat(before).contains("event_p200001");

        partitions.maintain(Instant.now()).await().indefinitely();
        partitions.maintain(Instant.now()).await().indefinitely();

        List<String> after = partitionsOf("event");
        assertThat(after).doesNotContain("event_p200001");
        before.remove("event_p200001");
        assertThat(after).containsExactlyInAnyOrderElementsOf(before);
    }

    private List<String> partitionsOf(String table) {
        List<String> names = new ArrayList<>();
        pool.preparedQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = $1::regclass").execute(Tuple.of(table)).await().indefinitely()
                .forEach(r -> names.add(r.getString(0)));
        return names;
    }
}
