package io.headlesscrm.suites;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * A third of the suite: the common mechanisms (GraphQL's generated-operations fuzzer among them) and security (the
 * access matrix among them), the two classes that keep a core busiest (see the package's doc).
 */
@Suite
@SelectPackages({ CommonAndSecurity.COMMON, CommonAndSecurity.SECURITY })
@IncludeClassNamePatterns(".*Test")
public class CommonAndSecurity {
    static final String COMMON = "io.headlesscrm.common";
    static final String SECURITY = "io.headlesscrm.security";
}
