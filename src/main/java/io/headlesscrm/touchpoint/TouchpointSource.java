package io.headlesscrm.touchpoint;

/** What created a touchpoint: a person or integration through the API, for now (campaigns and rules come later). */
public enum TouchpointSource {
    MANUAL
}
