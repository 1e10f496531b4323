package io.headlesscrm.platform;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/** Tells whoever started the service where its endpoints are, and which PostgreSQL and Redis it uses. */
public class StartupBanner {

    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    void onStart(@Observes StartupEvent event) {
        var config = ConfigProvider.getConfig();
        String portKey = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        String base = "http://localhost:" + config.getOptionalValue(portKey, Integer.class).orElse(8080);
        LOG.infof("""
                Headless CRM is up
                  REST API      %1$s/api/v1/customers
                  GraphQL       %1$s/graphql   (GraphiQL UI: %1$s/q/graphql-ui)
                  OpenAPI       %1$s/q/openapi (Swagger UI: %1$s/q/swagger-ui)
                  Health        %1$s/q/health  Metrics: %1$s/q/metrics
                  PostgreSQL    %3$s
                  Redis         %4$s
                  Authentication: API keys ('X-API-Key: <key>' or 'Authorization: Bearer <key>')%2$s""", base,
                config.getOptionalValue("quarkus.oidc.auth-server-url", String.class)
                        .filter(url -> config.getValue("quarkus.oidc.tenant-enabled", Boolean.class))
                        .map(url -> " and Keycloak access tokens issued by " + url)
                        .orElse("; set CRM_OIDC_URL to accept Keycloak access tokens too"),
                System.getProperty(ServicesConfigSourceFactory.POSTGRES_SHOWN, "unknown"),
                System.getProperty(ServicesConfigSourceFactory.REDIS_SHOWN, "unknown"));
    }
}
