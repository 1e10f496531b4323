package io.headlesscrm.suites;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * One half of the suite: campaigns, leads, imports and exports, the contracts and operations (see the package's
 * doc). Much of its time is waiting on real clocks (scheduler ticks, a WebSocket's initialisation timeout), so it
 * also takes the contract fuzzer, which keeps a core busy.
 */
@Suite
@SelectPackages({ CampaignsLeadsData.CAMPAIGN, CampaignsLeadsData.LEAD, CampaignsLeadsData.DATAIO,
        CampaignsLeadsData.CONTRACT, CampaignsLeadsData.OPERATIONS })
@IncludeClassNamePatterns(".*Test")
public class CampaignsLeadsData {
    static final String CAMPAIGN = "io.headlesscrm.campaign";
    static final String LEAD = "io.headlesscrm.lead";
    static final String DATAIO = "io.headlesscrm.dataio";
    static final String CONTRACT = "io.headlesscrm.contract";
    static final String OPERATIONS = "io.headlesscrm.operations";
}
