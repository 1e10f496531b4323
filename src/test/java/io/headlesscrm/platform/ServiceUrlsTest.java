package io.headlesscrm.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceUrlsTest {

    @Test
    void splitsADatabaseUrlIntoReactiveAndJdbcSettings() {
        assertThat(ServiceUrls.database("postgresql://crm:s%40cret@db.internal:6432/crm?sslmode=require"))
                .containsEntry("quarkus.datasource.reactive.url", "postgresql://db.internal:6432/crm?sslmode=require")
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.internal:6432/crm?sslmode=require")
                .containsEntry("quarkus.datasource.username", "crm")
                .containsEntry("quarkus.datasource.password", "s@cret");
    }

    @Test
    void acceptsThePostgresSchemeAndNoCredentials() {
        assertThat(ServiceUrls.database("postgres://localhost/test"))
                .containsEntry("quarkus.datasource.reactive.url", "postgresql://localhost/test")
                .doesNotContainKey("quarkus.datasource.username");
    }

    @Test
    void rejectsWhatIsNotAPostgresUrl() {
        assertThatThrownBy(() -> ServiceUrls.database("mysql://localhost/db"))
                .hasMessageContaining("postgresql://user:password@host:5432/database");
        assertThatThrownBy(() -> ServiceUrls.database("postgresql://localhost"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void showsWhereAServiceIsWithoutItsCredentials() {
        assertThat(ServiceUrls.address("postgresql://crm:s%40cret@db.internal:6432/crm?password=x"))
                .isEqualTo("db.internal:6432/crm");
        assertThat(ServiceUrls.address("redis://:secret@cache.internal:6380")).isEqualTo("cache.internal:6380");
        assertThat(ServiceUrls.address("redis://cache.internal")).isEqualTo("cache.internal");
    }
}
