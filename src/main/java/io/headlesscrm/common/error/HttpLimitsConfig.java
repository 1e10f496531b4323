package io.headlesscrm.common.error;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The request head limits {@link RequestHeadLimits} answers with a problem. The body limit is Quarkus's own
 * ({@code quarkus.http.limits.max-body-size}, see {@link BodyLimit}), as are the decoder's ceilings above these.
 */
@ConfigMapping(prefix = "crm.http")
public interface HttpLimitsConfig {

    /** Longest request line (method, URI with query, version) in bytes; longer is a 414. */
    @WithDefault("8192")
    int maxRequestLine();

    /** Largest total of request headers in bytes; more is a 431. */
    @WithDefault("20480")
    int maxHeaderSize();
}
