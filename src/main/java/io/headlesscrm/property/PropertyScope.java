package io.headlesscrm.property;

/** What a property describes: a customer (custom attribute) or an event. */
public enum PropertyScope {
    CUSTOMER, EVENT
}
