package io.headlesscrm.customer;

public enum CustomerType {
    INDIVIDUAL,
    ENTERPRISE
}
