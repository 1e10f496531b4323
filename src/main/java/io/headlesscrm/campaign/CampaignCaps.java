package io.headlesscrm.campaign;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.touchpoint.FrequencyCap;

/**
 * The frequency caps a campaign obeys: its own, then the service's global ones (crm.campaigns.caps), which lead rules'
 * touchpoints obey as well.
 */
@ApplicationScoped
public class CampaignCaps {

    private final List<FrequencyCap> global;

    @Inject
    CampaignCaps(CampaignsConfig config) {
        this.global = config.caps().orElse(List.of()).stream().map(CampaignCaps::parse).toList();
    }

    /** The service's own caps, for every automated touchpoint. */
    public List<FrequencyCap> global() {
        return global;
    }

    List<FrequencyCap> of(CampaignInput campaign) {
        List<FrequencyCap> caps = new ArrayList<>();
        if (campaign.caps() != null) {
            campaign.caps().forEach(c -> caps.add(new FrequencyCap(c.max(), c.window(), "campaign")));
        }
        caps.addAll(global);
        return caps;
    }

    /** "max/window", for example "3/P1D"; a bad one stops the service at start, naming it. */
    static FrequencyCap parse(String cap) {
        String[] parts = cap.trim().split("/");
        try {
            int max = Integer.parseInt(parts[0].trim());
            Duration window = Duration.parse(parts[1].trim());
            if (parts.length != 2 || max < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException();
            }
            return new FrequencyCap(max, window, "global");
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | DateTimeParseException e) {
            throw new IllegalArgumentException("crm.campaigns.caps: '" + cap + "' is not max/window, e.g. 3/P1D");
        }
    }
}
