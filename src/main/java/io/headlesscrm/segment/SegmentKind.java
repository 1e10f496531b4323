package io.headlesscrm.segment;

/** DIMENSION: ordered buckets, the last a catch-all, one per customer. AUDIENCE: whoever matches a condition. */
public enum SegmentKind {
    DIMENSION, AUDIENCE
}
