package io.headlesscrm.suites;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** A third of the suite: campaigns, leads and operations (see the package's doc). */
@Suite
@SelectPackages({ CampaignsAndLeads.CAMPAIGN, CampaignsAndLeads.LEAD, CampaignsAndLeads.OPERATIONS })
@IncludeClassNamePatterns(".*Test")
public class CampaignsAndLeads {
    static final String CAMPAIGN = "io.headlesscrm.campaign";
    static final String LEAD = "io.headlesscrm.lead";
    static final String OPERATIONS = "io.headlesscrm.operations";
}
