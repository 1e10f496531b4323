package io.headlesscrm.security;

import java.util.Set;

/** The application roles. Keycloak realm roles of the same names map onto them one to one. */
public final class Roles {

    public static final String ADMIN = "crm-admin";
    public static final String MARKETER = "crm-marketer";
    public static final String SALES = "crm-sales";
    public static final String ANALYST = "crm-analyst";
    public static final String PARTNER = "crm-partner";

    /** Bean Validation pattern for a role name; keep it in step with the constants above. */
    public static final String PATTERN = "crm-(admin|marketer|sales|analyst|partner)";

    public static final Set<String> ALL = Set.of(ADMIN, MARKETER, SALES, ANALYST, PARTNER);

    private Roles() {
    }
}
