package io.headlesscrm.common.graphql;

/**
 * Whether the current caller holds a permission, asked by {@link NodeRegistry} without {@code common} knowing how
 * permissions are granted (the security package implements it).
 */
public interface PermissionCheck {

    boolean granted(String permission);
}
