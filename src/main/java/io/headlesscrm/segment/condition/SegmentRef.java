package io.headlesscrm.segment.condition;

import java.util.Map;
import java.util.UUID;

/** A saved segment as conditions may name it: by key, with its buckets by key (an audience has one). */
public record SegmentRef(UUID id, boolean dimension, Map<String, UUID> buckets) {
}
