package io.headlesscrm.customer;

import static io.headlesscrm.customer.CustomerApi.PATH;
import static io.headlesscrm.customer.CustomerApi.create;
import static io.headlesscrm.customer.CustomerApi.customer;
import static io.headlesscrm.customer.CustomerApi.marker;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CustomerPaginationTest {

    /** Walks every page by following {@code next} while other customers keep being inserted between pages. */
    @ParameterizedTest
    @ValueSource(strings = { "createdAt", "-createdAt", "name", "-name" })
    void seesEveryCustomerExactlyOnceWhileRowsAreInserted(String sort) {
        String m = marker();
        Set<String> existing = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            existing.add(create(customer("Customer " + (char) ('a' + (i * 7) % 26) + i, "m", m)));
        }

        List<String> seen = new ArrayList<>();
        String next = PATH + "?limit=5&sort=" + sort + "&attr.m=" + m;
        int pages = 0;
        while (next != null) {
            Json page = asAdmin().urlEncodingEnabled(false).when().get(next).then().statusCode(200)
                    .extract().as(Json.class);
            List<String> ids = page.getList("items.id");
            assertThat(ids).hasSizeLessThanOrEqualTo(5);
            seen.addAll(ids);
            next = page.getString("next");
            assertThat(page.getString("nextCursor") == null).isEqualTo(next == null);
            create(customer("Concurrent " + pages, "m", m));
            pages++;
            assertThat(pages).as("pagination must end").isLessThan(30);
        }

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(existing);
    }
}
