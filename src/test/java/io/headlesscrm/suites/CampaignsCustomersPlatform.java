package io.headlesscrm.suites;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** A third of the suite: campaigns, customers, tags, webhooks, the platform and operations (see the package's doc). */
@Suite
@SelectPackages({ CampaignsCustomersPlatform.CAMPAIGN, CampaignsCustomersPlatform.CUSTOMER,
        CampaignsCustomersPlatform.TAG, CampaignsCustomersPlatform.WEBHOOK, CampaignsCustomersPlatform.PLATFORM,
        CampaignsCustomersPlatform.OPERATIONS })
@IncludeClassNamePatterns(".*Test")
public class CampaignsCustomersPlatform {
    static final String CAMPAIGN = "io.headlesscrm.campaign";
    static final String CUSTOMER = "io.headlesscrm.customer";
    static final String TAG = "io.headlesscrm.tag";
    static final String WEBHOOK = "io.headlesscrm.webhook";
    static final String PLATFORM = "io.headlesscrm.platform";
    static final String OPERATIONS = "io.headlesscrm.operations";
}
