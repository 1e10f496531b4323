package io.headlesscrm.security.apikey;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * API keys' one setting. Its name, {@code crm.bootstrap-api-key} ({@code CRM_BOOTSTRAP_API_KEY}), is the prefix
 * itself: the name deployers know stays, and no other name falls under the prefix.
 */
@ConfigMapping(prefix = "crm.bootstrap-api-key")
public interface ApiKeysConfig {

    /** An admin API key stored on start (see {@link BootstrapApiKey}); none by default. */
    @WithParentName
    Optional<String> bootstrapApiKey();
}
