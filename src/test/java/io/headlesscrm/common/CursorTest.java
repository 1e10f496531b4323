package io.headlesscrm.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;

class CursorTest {

    @Test
    void roundTripsKeysWithAnyCharacters() {
        Cursor c = new Cursor("name", "Zoë | O'Brien & co/ü", UUID.randomUUID());
        assertThat(Cursor.decode(c.encode(), "name", "cursor")).isEqualTo(c);
    }

    @Test
    void rejectsGarbageAndCursorsOfAnotherSort() {
        String other = new Cursor("name", "x", UUID.randomUUID()).encode();
        for (String bad : new String[] { "%%%", "djE", other }) {
            assertThatThrownBy(() -> Cursor.decode(bad, "createdAt", "after"))
                    .isInstanceOfSatisfying(ProblemException.class, p -> {
                        assertThat(p.status()).isEqualTo(400);
                        assertThat(p.slug()).isEqualTo("invalid-cursor");
                        assertThat(p.errors().get(0).field()).isEqualTo("after");
                    });
        }
    }
}
