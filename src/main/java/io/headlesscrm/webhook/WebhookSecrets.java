package io.headlesscrm.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.headlesscrm.common.SecretFiles;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Endpoint signing secrets: generated as {@code whsec_} + base64 of 32 random bytes, and kept encrypted at rest
 * with AES-256-GCM under the key {@code CRM_WEBHOOK_SECRET_KEY} (base64 of 32 bytes). Without that setting a key
 * is generated once into the data directory, which suits one instance on its embedded database; instances that
 * share a database must share the key, so production sets it. Created at start-up: a bad key fails the start, and
 * the key file is never read on an event loop; so does a key other than the one the database's secrets were sealed
 * with ({@link WebhookKeyFingerprint}).
 */
@Startup
@ApplicationScoped
public class WebhookSecrets {

    static final String PREFIX = "whsec_";
    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String KEY_FILE = "webhook-secret-key";

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    @Inject
    WebhookSecrets(WebhookConfig config, @ConfigProperty(name = "crm.data-dir") String dataDir, Pool database) {
        this(config.secretKey(), dataDir, database);
    }

    WebhookSecrets(Optional<String> configured, String dataDir, Pool database) {
        Optional<String> set = configured.filter(k -> !k.isBlank());
        byte[] raw = Base64.getDecoder().decode(set.orElseGet(() -> stored(dataDir)).trim());
        if (raw.length != 32) {
            throw new IllegalStateException("CRM_WEBHOOK_SECRET_KEY must be the base64 of 32 bytes, not " + raw.length);
        }
        key = new SecretKeySpec(raw, "AES");
        String origin = set.isPresent() ? "CRM_WEBHOOK_SECRET_KEY" : "generated into "
                + Path.of(dataDir, KEY_FILE).toAbsolutePath().normalize() + ", as CRM_WEBHOOK_SECRET_KEY is not set";
        WebhookKeyFingerprint.check(database, key, this::opens, origin);
    }

    /** A new signing secret. */
    String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The secret encrypted: a random nonce followed by the ciphertext and its tag. */
    byte[] seal(String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a webhook secret", e);
        }
    }

    String open(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt a webhook secret: was CRM_WEBHOOK_SECRET_KEY changed?", e);
        }
    }

    private boolean opens(byte[] sealed) {
        try {
            open(sealed);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private String stored(String dataDir) {
        Path file = Path.of(dataDir, KEY_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file);
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String generated = Base64.getEncoder().encodeToString(bytes);
            SecretFiles.write(file, generated);
            LOG.warnf("CRM_WEBHOOK_SECRET_KEY is not set: generated one in %s. Instances that share a database must "
                    + "share this key; set CRM_WEBHOOK_SECRET_KEY in production.", file);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }
}
