package io.headlesscrm.tag;

import org.eclipse.microprofile.graphql.Enum;

/** Where an assignment came from. */
@Enum("TagSource")
public enum TagSource {
    MANUAL, RULE, IMPORT
}
