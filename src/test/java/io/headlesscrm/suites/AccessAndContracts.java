package io.headlesscrm.suites;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** A third of the suite: security, the contracts, customers and the architecture rules (see the package's doc). */
@Suite
@SelectPackages({ AccessAndContracts.SECURITY, AccessAndContracts.CONTRACT, AccessAndContracts.CUSTOMER,
        AccessAndContracts.ARCHITECTURE })
@IncludeClassNamePatterns(".*Test")
public class AccessAndContracts {
    static final String SECURITY = "io.headlesscrm.security";
    static final String CONTRACT = "io.headlesscrm.contract";
    static final String CUSTOMER = "io.headlesscrm.customer";
    static final String ARCHITECTURE = "io.headlesscrm.architecture";
}
