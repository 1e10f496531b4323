package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.UUID;

/** Conditions on the touchpoint list; null members are not conditions. */
record TouchpointFilter(UUID customerId, Channel channel, TouchpointStatus status, Instant createdFrom, Instant createdTo) {
}
