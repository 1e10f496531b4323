package io.headlesscrm.touchpoint;

/** What created a touchpoint: a person or integration through the API, or a campaign run (set by the run only). */
public enum TouchpointSource {
    MANUAL, CAMPAIGN
}
