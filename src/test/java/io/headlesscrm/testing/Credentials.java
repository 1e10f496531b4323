package io.headlesscrm.testing;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.contract.OpenApiResponses;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Real credentials for tests: the bootstrap admin API key the test profile configures, and access tokens
 * signed with the suite's own key pair, whose public half the test profile's OIDC tenant trusts.
 */
public final class Credentials {

    public static final String ISSUER = "https://sso.test.headless-crm.dev/realms/crm";
    public static final String AUDIENCE = "crm-api";
    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private static final PrivateKey SIGNING_KEY = privateKey("/auth/test-signing-key.pem");
    private static final HttpClientConfig KEEP_ALIVE = keepAlive();

    private Credentials() {
    }

    public static String adminKey() {
        return ConfigProvider.getConfig().getValue("crm.bootstrap-api-key", String.class);
    }

    /** A request authenticated with the bootstrap admin API key. */
    public static RequestSpecification asAdmin() {
        return given().config(config()).filter(OpenApiResponses.instance()).header("X-API-Key", adminKey());
    }

    /** A request with a valid Keycloak-shaped access token for a user with these realm roles. */
    public static RequestSpecification asUserWith(String... roles) {
        return given().config(config()).filter(OpenApiResponses.instance()).auth().oauth2(token(roles));
    }

    /**
     * REST Assured's configuration as Quarkus sets it for the running test, made cheaper per request: one Jackson
     * mapper for every body (REST Assured's default factory builds a new one, looking its modules up, for each), and
     * the exchanges Quarkus keeps to print when a test fails kept as they came rather than pretty-printed (the two
     * cost about a tenth of the suite's test-thread time). Read per request: Quarkus restores its own after each test.
     */
    private static RestAssuredConfig config() {
        RestAssuredConfig config = RestAssured.config();
        return config
                .objectMapperConfig(config.getObjectMapperConfig().jackson2ObjectMapperFactory((type, charset) -> MAPPER))
                .logConfig(config.getLogConfig().enablePrettyPrinting(false))
                .httpClient(KEEP_ALIVE);
    }

    /**
     * One HTTP client for every request, keeping its connections open: REST Assured's default builds a client and a
     * connection manager for each request and connects anew. Pooled, because some tests send from several threads.
     */
    @SuppressWarnings("deprecation") // the Apache HttpClient 4 API REST Assured is built on
    private static HttpClientConfig keepAlive() {
        return HttpClientConfig.httpClientConfig().reuseHttpClientInstance().httpClientFactory(() -> {
            org.apache.http.impl.conn.PoolingClientConnectionManager connections =
                    new org.apache.http.impl.conn.PoolingClientConnectionManager();
            connections.setMaxTotal(200);
            connections.setDefaultMaxPerRoute(200);
            return new org.apache.http.impl.client.DefaultHttpClient(connections);
        });
    }

    public static String token(String... roles) {
        return sign(claims("user-" + String.join("-", roles), roles));
    }

    /** The claims Keycloak puts into an access token for the SPA client; tests change what they probe. */
    public static JwtClaimsBuilder claims(String username, String... roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("sub-" + username)
                .claim("preferred_username", username).claim("azp", "crm-spa")
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .expiresIn(300);
    }

    public static String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId("test-key").sign(SIGNING_KEY);
    }

    public static PrivateKey privateKey(String resource) {
        try (InputStream in = Credentials.class.getResourceAsStream(resource)) {
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
