package io.headlesscrm.tag;

/** What a bulk request does to each customer's tags. */
public enum TagOperation {
    ASSIGN, REMOVE
}
