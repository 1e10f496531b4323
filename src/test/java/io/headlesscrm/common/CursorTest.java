package io.headlesscrm.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Keyset;

class CursorTest {

    private static final Keyset BY_NAME = new Keyset("name", KeyType.STRING, "c.name", "c.id", false);
    private static final Keyset BY_TIME = new Keyset("createdAt", KeyType.INSTANT, "c.createdAt", "c.id", false);
    private static final Keyset BY_ID = Keyset.byId("id", "id", true);

    @Test
    void roundTripsTypedKeys() {
        Cursor name = BY_NAME.cursor("Zoë | O'Brien & co/ü", UUID.randomUUID());
        assertThat(Cursor.decode(name.encode(), BY_NAME, "cursor")).isEqualTo(name);
        Cursor time = BY_TIME.cursor(Instant.parse("2026-01-31T10:11:12.123456Z"), UUID.randomUUID());
        assertThat(Cursor.decode(time.encode(), BY_TIME, "cursor").key()).isInstanceOf(Instant.class).isEqualTo(time.key());
        UUID id = UUID.randomUUID();
        assertThat(Cursor.decode(BY_ID.cursor(null, id).encode(), BY_ID, "cursor").key()).isEqualTo(id);
    }

    @Test
    void rejectsGarbageAndCursorsOfAnotherSort() {
        String other = BY_NAME.cursor("x", UUID.randomUUID()).encode();
        for (String bad : new String[] { "%%%", "djE", other }) {
            assertInvalid(bad, BY_TIME);
        }
    }

    @Test
    void rejectsForgedKeysAndIdsWhenDecoding() {
        String id = UUID.randomUUID().toString();
        assertInvalid(forged("createdAt", "yesterday", id), BY_TIME);
        assertInvalid(forged("createdAt", "+999999999-12-31T23:59:59Z", id), BY_TIME); // past PostgreSQL's range
        assertInvalid(forged("name", "a\u0000b", id), BY_NAME);
        assertInvalid(forged("name", "x", "1-1-1-1-1"), BY_NAME);
        assertInvalid(forged("id", "not-the-id", id), BY_ID);
        assertInvalid(forged("id", UUID.randomUUID().toString(), id), BY_ID);
    }

    private static String forged(String sort, String key, String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join("\n", "v1", sort, key, id).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertInvalid(String cursor, Keyset keyset) {
        assertThatThrownBy(() -> keyset.fromParam(cursor, "after"))
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.slug()).isEqualTo("invalid-cursor");
                    assertThat(p.errors().get(0).field()).isEqualTo("after");
                });
    }
}
