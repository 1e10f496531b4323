package io.headlesscrm.suites;

import org.junit.platform.suite.api.ExcludePackages;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** The last third: every package the other suites do not name (see the package's doc). */
@Suite
@SelectPackages("io.headlesscrm")
@ExcludePackages({ CampaignsAndLeads.CAMPAIGN, CampaignsAndLeads.LEAD, CampaignsAndLeads.OPERATIONS,
        AccessAndContracts.SECURITY, AccessAndContracts.CONTRACT, AccessAndContracts.CUSTOMER,
        AccessAndContracts.ARCHITECTURE })
@IncludeClassNamePatterns(".*Test")
public class EverythingElse {
}
