package io.headlesscrm.security;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * What each role may do: the one table that REST resources and GraphQL operations both enforce, each through
 * {@code @PermissionsAllowed} with the same constant, so the two surfaces cannot drift apart. Roles not in the
 * table (unknown Keycloak roles) grant nothing.
 */
public final class Permissions {

    public static final String CUSTOMERS_READ = "customers:read";
    /** Unmasked email and phone; readers without it (analysts) see them masked. */
    public static final String CUSTOMERS_READ_CONTACT = "customers:read-contact";
    public static final String CUSTOMERS_CREATE = "customers:create";
    public static final String CUSTOMERS_UPSERT = "customers:upsert";
    public static final String CUSTOMERS_UPDATE = "customers:update";
    public static final String CUSTOMERS_DELETE = "customers:delete";
    public static final String TAGS_READ = "tags:read";
    /** Define, change and delete tag definitions. */
    public static final String TAGS_MANAGE = "tags:manage";
    /** Assign tags to customers and remove them. */
    public static final String CUSTOMERS_TAG = "customers:tag";
    public static final String API_KEYS_MANAGE = "api-keys:manage";
    public static final String AUDIT_READ = "audit:read";
    public static final String TOUCHPOINTS_READ = "touchpoints:read";
    /** Reach customers: create touchpoints (fanned out to the partners who send them). */
    public static final String TOUCHPOINTS_CREATE = "touchpoints:create";
    /** Report what happened to a touchpoint (partner callbacks). */
    public static final String TOUCHPOINTS_REPORT = "touchpoints:report";
    /** Subscribe partner systems to events: webhook endpoints and their secrets. */
    public static final String WEBHOOKS_MANAGE = "webhooks:manage";

    /** Record behaviour events. */
    public static final String EVENTS_WRITE = "events:write";
    /** Read customers' events (their timelines). */
    public static final String EVENTS_READ = "events:read";

    /** Read declared properties. */
    public static final String PROPERTIES_READ = "properties:read";
    /** Declare and remove custom attributes and event properties. */
    public static final String PROPERTIES_MANAGE = "properties:manage";

    /** Read segment definitions, members and counts. */
    public static final String SEGMENTS_READ = "segments:read";
    /** Define, change and delete segments (dimensions and audiences). */
    public static final String SEGMENTS_MANAGE = "segments:manage";

    /** Read campaigns, their runs, decisions and reports. */
    public static final String CAMPAIGNS_READ = "campaigns:read";
    /** Define campaigns, dry-run, schedule, pause, resume and cancel them. */
    public static final String CAMPAIGNS_MANAGE = "campaigns:manage";

    /** Read leads, their history and traces, and the lead rules. */
    public static final String LEADS_READ = "leads:read";
    /** Work leads: assign them and move them through their lifecycle. */
    public static final String LEADS_WORK = "leads:work";
    /** Report what became of a lead (a partner's call centre): move it through its lifecycle. */
    public static final String LEADS_REPORT = "leads:report";
    /** Define, change and delete lead rules. */
    public static final String LEAD_RULES_MANAGE = "lead-rules:manage";

    /** Import customers from files. */
    public static final String CUSTOMERS_IMPORT = "customers:import";

    /** Export customers to files (contact fields masked without {@link #CUSTOMERS_READ_CONTACT}). */
    public static final String CUSTOMERS_EXPORT = "customers:export";
    /**
     * Answer a subject access request (everything held about one customer), erase a customer for good, and lift the
     * suppression of an erased customer's contact data: the data protection officer's work, admins only.
     */
    public static final String CUSTOMERS_ERASE = "customers:erase";
    /** List likely duplicates and merge one customer into another (which deletes it, leaving an alias). */
    public static final String CUSTOMERS_MERGE = "customers:merge";

    /** Identity attribute holding the granted permission names. */
    static final String ATTRIBUTE = "crm.permissions";

    private static final Map<String, Set<String>> BY_ROLE = Map.of(
            Roles.ADMIN, Set.of(CUSTOMERS_READ, CUSTOMERS_READ_CONTACT, CUSTOMERS_CREATE, CUSTOMERS_UPSERT,
                    CUSTOMERS_UPDATE, CUSTOMERS_DELETE, CUSTOMERS_TAG, TAGS_READ, TAGS_MANAGE, API_KEYS_MANAGE, AUDIT_READ,
                    WEBHOOKS_MANAGE, TOUCHPOINTS_READ, TOUCHPOINTS_CREATE, TOUCHPOINTS_REPORT, EVENTS_WRITE,
                    EVENTS_READ, PROPERTIES_READ, PROPERTIES_MANAGE, SEGMENTS_READ, SEGMENTS_MANAGE, CAMPAIGNS_READ,
                    CAMPAIGNS_MANAGE, LEADS_READ, LEADS_WORK, LEAD_RULES_MANAGE, CUSTOMERS_IMPORT, CUSTOMERS_EXPORT,
                    CUSTOMERS_ERASE, CUSTOMERS_MERGE),
            Roles.MARKETER, Set.of(CUSTOMERS_READ, CUSTOMERS_READ_CONTACT, CUSTOMERS_CREATE, CUSTOMERS_UPSERT,
                    CUSTOMERS_UPDATE, CUSTOMERS_DELETE, CUSTOMERS_TAG, TAGS_READ, TAGS_MANAGE, TOUCHPOINTS_READ,
                    TOUCHPOINTS_CREATE, EVENTS_WRITE, EVENTS_READ, PROPERTIES_READ, PROPERTIES_MANAGE, SEGMENTS_READ,
                    SEGMENTS_MANAGE, CAMPAIGNS_READ, CAMPAIGNS_MANAGE, LEADS_READ, LEAD_RULES_MANAGE, CUSTOMERS_IMPORT,
                    CUSTOMERS_EXPORT, CUSTOMERS_MERGE),
            Roles.SALES, Set.of(CUSTOMERS_READ, CUSTOMERS_READ_CONTACT, CUSTOMERS_UPDATE, CUSTOMERS_TAG, TAGS_READ,
                    TOUCHPOINTS_READ, TOUCHPOINTS_CREATE, EVENTS_READ, PROPERTIES_READ, SEGMENTS_READ, CAMPAIGNS_READ,
                    LEADS_READ, LEADS_WORK),
            Roles.ANALYST, Set.of(CUSTOMERS_READ, TAGS_READ, TOUCHPOINTS_READ, EVENTS_READ, PROPERTIES_READ,
                    SEGMENTS_READ, CAMPAIGNS_READ, LEADS_READ, CUSTOMERS_EXPORT),
            Roles.PARTNER, Set.of(CUSTOMERS_CREATE, CUSTOMERS_UPSERT, TOUCHPOINTS_REPORT, EVENTS_WRITE, LEADS_REPORT));

    private Permissions() {
    }

    /** The permissions the given roles grant together. */
    public static Set<String> of(Set<String> roles) {
        Set<String> granted = new HashSet<>();
        for (String role : roles) {
            granted.addAll(BY_ROLE.getOrDefault(role, Set.of()));
        }
        return granted;
    }

    /** The permissions the (augmented) identity holds. */
    public static Set<String> granted(SecurityIdentity identity) {
        Set<String> granted = identity.getAttribute(ATTRIBUTE);
        return granted == null ? Set.of() : granted;
    }

    /** Whether the (augmented) identity holds {@code permission}. */
    public static boolean granted(SecurityIdentity identity, String permission) {
        return granted(identity).contains(permission);
    }
}
