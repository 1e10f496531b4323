package io.headlesscrm.suites;

import org.junit.platform.suite.api.ExcludePackages;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The last third: every package the other parts do not name (see the package's doc); today leads, data in and out,
 * segments, the contracts, events, touchpoints and the architecture rules.
 */
@Suite
@SelectPackages("io.headlesscrm")
@ExcludePackages({ CampaignsCustomersPlatform.CAMPAIGN, CampaignsCustomersPlatform.CUSTOMER,
        CampaignsCustomersPlatform.TAG, CampaignsCustomersPlatform.WEBHOOK, CampaignsCustomersPlatform.PLATFORM,
        CampaignsCustomersPlatform.OPERATIONS, CommonAndSecurity.COMMON, CommonAndSecurity.SECURITY })
@IncludeClassNamePatterns(".*Test")
public class EverythingElse {
}
