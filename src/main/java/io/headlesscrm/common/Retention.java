package io.headlesscrm.common;

import java.time.Duration;
import java.util.Optional;

/**
 * A feature's table whose rows are purged once older than {@code period} (none: kept), by {@link RetentionPurge}.
 * The feature produces it, so its table stays its own; {@code timeColumn} is the row's age.
 */
public record Retention(String table, String timeColumn, Optional<Duration> period) {
}
