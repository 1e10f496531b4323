package io.headlesscrm.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The database remembers which key sealed its webhook secrets, as a fingerprint (an HMAC of a fixed label under
 * the key: it tells keys apart and reveals nothing of them). The first start records it; a later start with another
 * key is refused, instead of every delivery failing one by one because no stored secret decrypts.
 */
final class WebhookKeyFingerprint {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] LABEL = "headless-crm webhook-secret-key fingerprint v1".getBytes(StandardCharsets.UTF_8);

    private WebhookKeyFingerprint() {
    }

    static String of(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(LABEL));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot fingerprint the webhook secret key", e);
        }
    }

    /**
     * Records the key's fingerprint if none is recorded, after checking that the secrets already stored (from before
     * fingerprints were kept) open with it; refuses a key whose fingerprint differs. {@code opens} says whether a
     * sealed secret decrypts with the key; {@code origin} says where the key came from, for the message. Blocks:
     * for start-up only.
     */
    static void check(Pool database, SecretKeySpec key, Predicate<byte[]> opens, String origin) {
        String fingerprint = of(key);
        String recorded = recorded(database);
        if (recorded == null) {
            RowSet<Row> sealed = await(database.query("SELECT secret FROM webhook_endpoint LIMIT 1").execute());
            if (sealed.size() > 0 && !opens.test(sealed.iterator().next().getBuffer(0).getBytes())) {
                throw mismatch(origin, "the webhook secrets stored in this database do not decrypt with it");
            }
            await(database.preparedQuery("INSERT INTO webhook_key_fingerprint (fingerprint) VALUES ($1)"
                    + " ON CONFLICT DO NOTHING").execute(Tuple.of(fingerprint)));
            recorded = recorded(database);
        }
        if (!fingerprint.equals(recorded)) {
            throw mismatch(origin, "its fingerprint " + fingerprint.substring(0, 12)
                    + "... differs from the one recorded in the database, " + recorded.substring(0, 12) + "...");
        }
    }

    private static IllegalStateException mismatch(String origin, String why) {
        return new IllegalStateException("The webhook secret key (" + origin + ") is not the one that encrypted the"
                + " webhook signing secrets in this database: " + why + ". Set CRM_WEBHOOK_SECRET_KEY to the key the"
                + " database was first used with (the one the other instances have, or the webhook-secret-key file in"
                + " the data directory of the instance that generated it); with another key no webhook could be signed.");
    }

    private static String recorded(Pool database) {
        RowSet<Row> rows = await(database.query("SELECT fingerprint FROM webhook_key_fingerprint").execute());
        return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    }

    private static <T> T await(Uni<T> query) {
        return query.await().atMost(TIMEOUT);
    }
}
