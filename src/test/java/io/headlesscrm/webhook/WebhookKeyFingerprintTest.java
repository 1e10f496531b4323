package io.headlesscrm.webhook;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

/** The start-up check of the webhook secret key against the fingerprint the database keeps, on the real database. */
@QuarkusTest
class WebhookKeyFingerprintTest {

    private static final String OTHER_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @Inject
    Pool database;
    @ConfigProperty(name = "crm.webhook.secret-key")
    String key;
    @ConfigProperty(name = "crm.data-dir")
    String dataDir;

    @Test
    void theFirstStartRecordedAFingerprintThatIsNotTheKey() {
        String recorded = recorded();
        assertThat(recorded).hasSize(64).isNotEqualTo(HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(key)));
        new WebhookSecrets(Optional.of(key), dataDir, database);
        assertThat(recorded()).isEqualTo(recorded);
    }

    @Test
    void anInstanceWithAnotherKeyRefusesToStartAndSaysWhatToSet() {
        String recorded = recorded();
        assertThatThrownBy(() -> new WebhookSecrets(Optional.of(OTHER_KEY), dataDir, database))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The webhook secret key (CRM_WEBHOOK_SECRET_KEY) is not the one")
                .hasMessageContaining("Set CRM_WEBHOOK_SECRET_KEY to the key the database was first used with")
                .hasMessageNotContaining(OTHER_KEY).hasMessageNotContaining(key);
        assertThat(recorded()).isEqualTo(recorded);
    }

    @Test
    void aDatabaseWithoutAFingerprintIsCheckedAgainstTheSecretsItHolds() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/fingerprint",
                "eventTypes", List.of("customer.created"), "enabled", false)).post("/api/v1/webhook-endpoints").then()
                .statusCode(201);
        String recorded = recorded();
        database.query("DELETE FROM webhook_key_fingerprint").execute().await().indefinitely();

        assertThatThrownBy(() -> new WebhookSecrets(Optional.of(OTHER_KEY), dataDir, database))
                .hasMessageContaining("the webhook secrets stored in this database do not decrypt with it");
        assertThat(recorded()).isNull();
        new WebhookSecrets(Optional.of(key), dataDir, database);
        assertThat(recorded()).isEqualTo(recorded);
    }

    private String recorded() {
        var rows = database.query("SELECT fingerprint FROM webhook_key_fingerprint").execute().await().indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    }
}
