package io.headlesscrm.dataio;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Customer imports: how their files are stored and how they are worked through. */
@ConfigMapping(prefix = "crm.imports")
public interface ImportsConfig {

    /** Rows per stored chunk of a file, and so per transaction that applies one. */
    @WithDefault("1000")
    int chunkRows();

    /** How often an idle instance looks for a queued import. */
    @WithDefault("1s")
    Duration pollEvery();

    /** How long an import stays with an instance that stopped renewing it before another resumes it. */
    @WithDefault("60s")
    Duration lease();
}
