package io.headlesscrm.dataio;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Customer exports: how they are written and how long their files are kept. */
@ConfigMapping(prefix = "crm.exports")
public interface ExportsConfig {

    /** Customers written per transaction (one chunk of the file each). */
    @WithDefault("5000")
    int pageSize();

    /** How often an idle instance looks for a queued export, and for expired files to delete. */
    @WithDefault("1s")
    Duration pollEvery();

    /** How long an export stays with an instance that stopped renewing it before another resumes it. */
    @WithDefault("60s")
    Duration lease();

    /** How long a finished export's file can be downloaded before it is deleted. */
    @WithDefault("24h")
    Duration keep();
}
