package io.headlesscrm.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the deployer's one-line service URLs into the Quarkus datasource, Redis and OIDC properties. */
final class ServiceUrls {

    private ServiceUrls() {
    }

    /**
     * {@code postgresql://user:pass@host:5432/db?sslmode=require} → reactive URL, JDBC URL (for Flyway),
     * username and password.
     */
    static Map<String, String> database(String url) {
        URI uri;
        try {
            uri = new URI(url.startsWith("postgres://") ? "postgresql://" + url.substring("postgres://".length()) : url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("CRM_DB_URL is not a URL: " + e.getMessage(), e);
        }
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null
                || uri.getPath().length() < 2) {
            throw new IllegalArgumentException(
                    "CRM_DB_URL must look like postgresql://user:password@host:5432/database");
        }
        String hostPortDb = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.datasource.reactive.url", "postgresql://" + hostPortDb);
        props.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPortDb);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            props.put("quarkus.datasource.username", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                props.put("quarkus.datasource.password", decode(userInfo.substring(colon + 1)));
            }
        }
        return props;
    }

    static Map<String, String> embeddedDatabase(int port) {
        Map<String, String> props = new LinkedHashMap<>();
        String hostPortDb = "127.0.0.1:" + port + "/" + EmbeddedPostgresServer.DATABASE;
        props.put("quarkus.datasource.reactive.url", "postgresql://" + hostPortDb);
        props.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPortDb);
        props.put("quarkus.datasource.username", EmbeddedPostgresServer.USER);
        props.put("quarkus.datasource.password", "");
        return props;
    }

    static Map<String, String> redis(String url) {
        return Map.of("quarkus.redis.hosts", url);
    }

    /** {@code https://sso.example.com/realms/crm} (the realm's issuer) → an enabled OIDC tenant verifying its tokens. */
    static Map<String, String> oidc(String issuer) {
        return Map.of("quarkus.oidc.auth-server-url", issuer, "quarkus.oidc.tenant-enabled", "true");
    }

    /** Where a service URL points, for people to read: host, port and database, never credentials or options. */
    static String address(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                return "(no host in the URL)";
            }
            String path = uri.getRawPath() == null || uri.getRawPath().length() < 2 ? "" : uri.getRawPath();
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path;
        } catch (URISyntaxException e) {
            return "(not a URL)";
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
