package io.headlesscrm.common.personal;

/**
 * The ids a customer was known by before merges: those of the customers merged into them (their aliases). The
 * customer package implements it; a feature that keeps customer ids in rows that outlive a merge (the audit log) asks
 * it as SQL to build into its own statement, so that neither common nor that feature names the customer package's
 * tables or depends on it.
 */
public interface CustomerAliases {

    /**
     * A SELECT of one uuid column: the ids of the customers merged into the customer {@code customer} (SQL, a uuid)
     * names, read through the aliases' customer index.
     */
    String mergedInto(String customer);
}
