package io.headlesscrm.touchpoint;

/**
 * What created a touchpoint: a person or integration through the API, a campaign run, or a lead rule reaching its
 * lead (the last two set by the service only).
 */
public enum TouchpointSource {
    MANUAL, CAMPAIGN, LEAD
}
