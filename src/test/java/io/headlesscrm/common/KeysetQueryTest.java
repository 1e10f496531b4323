package io.headlesscrm.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;

class KeysetQueryTest {

    private static final Keyset NEWEST = new Keyset("-occurredAt", KeyType.INSTANT, "occurred_at", "id", true);

    @Test
    void buildsSqlWithFiltersAfterTheCursorOrderAndOneRowMore() {
        Instant at = Instant.parse("2026-01-31T00:00:00Z");
        UUID id = UUID.randomUUID();
        KeysetQuery q = KeysetQuery.sql("SELECT * FROM audit_log").whereIf("customer", "entity = ?")
                .whereIf(null, "actor_id = ?").page(NEWEST, NEWEST.cursor(at, id), 20);
        assertThat(q.query()).isEqualTo("SELECT * FROM audit_log WHERE entity = $1"
                + " AND (occurred_at, id) < ($2, $3) ORDER BY occurred_at DESC, id DESC LIMIT $4");
        assertThat(q.positional()).containsExactly("customer", OffsetDateTime.of(2026, 1, 31, 0, 0, 0, 0, ZoneOffset.UTC),
                id, 21);
    }

    @Test
    void buildsHqlWithNamedParametersAndAnIdKeyset() {
        UUID id = UUID.randomUUID();
        Keyset byId = Keyset.byId("id", "t.id", false);
        KeysetQuery q = KeysetQuery.hql("from Tag t").page(byId, byId.cursor(null, id), 5);
        assertThat(q.query()).isEqualTo("from Tag t WHERE t.id > :p1 order by t.id");
        assertThat(q.named()).containsEntry("p1", id);
        assertThat(q.fetch()).isEqualTo(6);
        assertThat(KeysetQuery.hql("from Tag t").page(byId, null, 5).query()).isEqualTo("from Tag t order by t.id");
    }

    @Test
    void refusesFilterValuesNoColumnCanHold() {
        for (Object bad : new Object[] { "a\u0000b", "x\ud800y", Instant.parse("+999999999-12-31T23:59:59Z") }) {
            assertThatThrownBy(() -> KeysetQuery.hql("from Customer c").where("c.name = ?", bad))
                    .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(400));
        }
    }
}
