package io.headlesscrm.security.apikey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.headlesscrm.common.SecretFiles;
import io.headlesscrm.security.Roles;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The first way in. {@code CRM_BOOTSTRAP_API_KEY} names an admin key explicitly (scripts, CI). Without it, and
 * without a Keycloak issuer, a service that has no usable admin key creates one on start, prints it once and
 * stores it in {@code <CRM_DATA_DIR>/bootstrap-api-key}.
 */
public class BootstrapApiKey {

    static final String FILE = "bootstrap-api-key";
    private static final Logger LOG = Logger.getLogger(BootstrapApiKey.class);

    @Inject
    ApiKeysConfig config;
    // Quarkus's setting and the platform's (read before the configuration exists): by name, their defaults theirs
    @ConfigProperty(name = "quarkus.oidc.tenant-enabled")
    boolean oidcEnabled;
    @ConfigProperty(name = "crm.data-dir")
    String dataDir;
    @Inject
    ApiKeyService keys;

    void onStart(@Observes StartupEvent event) throws Throwable {
        // Hibernate Reactive needs a Vert.x context; start-up may block until the key is in place
        VertxContextSupport.subscribeAndAwait(this::ensure);
    }

    private Uni<Void> ensure() {
        Optional<String> configured = config.bootstrapApiKey();
        if (configured.isPresent()) {
            String key = configured.get().trim();
            if (!ApiKeySecret.wellFormed(key)) {
                throw new IllegalStateException("CRM_BOOTSTRAP_API_KEY must be 'hcrm_' followed by 32 to 96 letters "
                        + "or digits, for example the output of: echo hcrm_$(openssl rand -hex 20)");
            }
            return keys.ensure("bootstrap (CRM_BOOTSTRAP_API_KEY)", key, List.of(Roles.ADMIN)).invoke(k -> {
                if (k.revokedAt() != null) {
                    LOG.warn("CRM_BOOTSTRAP_API_KEY was revoked through the API; it stays revoked");
                }
            }).replaceWithVoid();
        }
        if (oidcEnabled) {
            return Uni.createFrom().voidItem();
        }
        Path file = Path.of(dataDir).toAbsolutePath().normalize().resolve(FILE);
        return keys.anyActiveWithRole(Roles.ADMIN).flatMap(exists -> {
            if (exists) {
                if (Files.exists(file)) {
                    LOG.infof("An admin API key exists; the generated bootstrap key, unless revoked since, is in %s", file);
                }
                return Uni.createFrom().voidItem();
            }
            return keys.ensure("bootstrap", ApiKeySecret.generate(), List.of(Roles.ADMIN)).invoke(k -> {
                // after the commit, once per data directory: a small blocking write at start-up is fine
                SecretFiles.write(file, k.key());
                LOG.warnf("""
                        Created the bootstrap admin API key; it is shown only this once and stored in %s:
                            %s
                          Use it as 'X-API-Key: <key>' to create your own keys (POST /api/v1/api-keys), then revoke it.""",
                        file, k.key());
            }).replaceWithVoid();
        });
    }
}
