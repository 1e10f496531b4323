package io.headlesscrm.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Guards against server-side request forgery: an endpoint URL must be http(s), carry no credentials, and resolve
 * only to public addresses, unless an address is in the allowlist {@code CRM_WEBHOOK_ALLOWLIST} (CIDRs). Checked
 * when an endpoint is created or changed, and again before each delivery, as DNS can change.
 */
@ApplicationScoped
public class EndpointUrls {

    /** Ranges that are not public beyond what InetAddress itself recognises. */
    private static final List<Cidr> NOT_PUBLIC = Cidr.parseAll(List.of("0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24",
            "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "fc00::/7",
            "2001:db8::/32", "64:ff9b::/96"));

    private final List<Cidr> allowlist;
    private final Vertx vertx;

    @Inject
    EndpointUrls(Vertx vertx, WebhookConfig config) {
        this.vertx = vertx;
        this.allowlist = Cidr.parseAll(config.allowlist().orElse(List.of()));
    }

    /** The URL, once checked; a 422 naming {@code url} otherwise. DNS is resolved off the event loop. */
    public Uni<URI> check(String url) {
        URI uri = parse(url);
        return address(uri).replaceWith(uri);
    }

    /**
     * The address to connect to for {@code uri}: the first it resolves to, once every one of them is public or
     * allowlisted (a 422 naming {@code url} otherwise). Resolved on a worker thread and answered back on the
     * caller's event loop (Hibernate Reactive needs it there).
     */
    Uni<InetAddress> address(URI uri) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> resolve(uri.getHost())), false)
                .map(addresses -> {
                    for (InetAddress address : addresses) {
                        if (!isPublic(address) && allowlist.stream().noneMatch(c -> c.contains(address))) {
                            throw invalid("resolves to " + address.getHostAddress() + ", which is not a public address"
                                    + " (allow it with CRM_WEBHOOK_ALLOWLIST)");
                        }
                    }
                    return addresses[0];
                });
    }

    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw invalid("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("must not carry credentials");
        }
        return uri;
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw invalid("has a host that does not resolve");
        }
    }

    static boolean isPublic(InetAddress a) {
        boolean special = a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress()
                || a.isSiteLocalAddress() || a.isMulticastAddress()
                || (a instanceof Inet4Address && a.getHostAddress().equals("255.255.255.255"));
        return !special && NOT_PUBLIC.stream().noneMatch(c -> c.contains(a));
    }

    private static ProblemException invalid(String why) {
        return ProblemException.validation(List.of(new FieldError("url", why)));
    }
}
