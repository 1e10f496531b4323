package io.headlesscrm.lead;

/** How urgently sales should work a lead. */
public enum LeadPriority {
    LOW, NORMAL, HIGH, URGENT
}
