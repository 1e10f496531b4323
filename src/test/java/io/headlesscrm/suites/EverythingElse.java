package io.headlesscrm.suites;

import org.junit.platform.suite.api.ExcludePackages;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** The other half: every package {@link CampaignsLeadsData} does not name (see the package's doc). */
@Suite
@SelectPackages("io.headlesscrm")
@ExcludePackages({ CampaignsLeadsData.CAMPAIGN, CampaignsLeadsData.LEAD, CampaignsLeadsData.DATAIO,
        CampaignsLeadsData.CONTRACT, CampaignsLeadsData.OPERATIONS })
@IncludeClassNamePatterns(".*Test")
public class EverythingElse {
}
