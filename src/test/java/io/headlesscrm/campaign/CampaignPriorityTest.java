package io.headlesscrm.campaign;

import static io.headlesscrm.campaign.CampaignTest.act;
import static io.headlesscrm.campaign.CampaignTest.content;
import static io.headlesscrm.campaign.CampaignTest.create;
import static io.headlesscrm.campaign.CampaignTest.decision;
import static io.headlesscrm.campaign.CampaignTest.definition;
import static io.headlesscrm.campaign.CampaignTest.marker;
import static io.headlesscrm.campaign.CampaignTest.onlyRun;
import static io.headlesscrm.campaign.CampaignTest.status;
import static io.headlesscrm.campaign.CampaignTest.tag;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.Json;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Two campaigns compete for the same customers under a cap of one per week: the one of higher priority reaches them
 * whichever was created or scheduled first, the other is CAPPED naming it, and a reach made before a higher-priority
 * campaign started stands.
 */
@QuarkusTest
class CampaignPriorityTest {

    private static final int CUSTOMERS = 12;
    private static final String WEEKLY = "capped: at most 1 per PT168H on the channel (campaign cap)";
    /**
     * How far ahead two campaigns are scheduled for the same moment: enough to create and schedule both first (a
     * campaign scheduled once its moment has passed starts when it is scheduled, which would end the tie), and no
     * more, since the test waits for it in real time (campaigns have no injectable clock yet).
     */
    private static final Duration AHEAD = Duration.ofSeconds(4);

    @Inject
    Scheduler scheduler;

    /** New customers, tagged {@code m} (a new tag) in one bulk assignment. */
    private static List<String> tagged(String m) {
        tag(m);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            ids.add(Fixtures.customer(null, null));
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags", List.of(m), "customerIds", ids))
                .post("/api/v1/tag-assignments").then().statusCode(200);
        return ids;
    }

    /** A WeChat campaign to everyone tagged {@code m}, at most once a week, of this priority and schedule. */
    private static String campaign(String m, String name, int priority, Map<String, Object> schedule) {
        Map<String, Object> d = definition(m, List.of(Map.of("key", "only", "content", content(name))));
        d.put("name", name);
        d.put("channel", "WECHAT");
        d.put("priority", priority);
        d.put("caps", List.of(Map.of("max", 1, "window", "P7D")));
        d.put("schedule", schedule);
        return create(d);
    }

    /** The premise of a tie: both were scheduled before their moment came. */
    private static void bothBefore(Instant when) {
        assertThat(Instant.now()).as("both campaigns were scheduled before their moment").isBefore(when);
    }

    private static Map<String, Object> at(Instant when) {
        return Map.of("type", "AT", "at", when.toString());
    }

    private static void completes(String... ids) {
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of(ids).stream().allMatch(id -> status(id).equals("COMPLETED")));
    }

    /** {@code winner} reached everyone; {@code loser} capped everyone, naming the winner and its priority. */
    private static void wins(String winner, String winnerName, int priority, String loser, List<String> customers) {
        assertThat(onlyRun(winner).getMap("outcomes")).containsEntry("REACHED", CUSTOMERS).hasSize(1);
        Json lost = onlyRun(loser);
        assertThat(lost.getMap("outcomes")).containsEntry("CAPPED", CUSTOMERS).hasSize(1);
        String because = WEEKLY + ", by campaign \"" + winnerName + "\" (priority " + priority + ", " + winner + ")";
        for (String customer : List.of(customers.get(0), customers.get(CUSTOMERS - 1))) {
            Json d = decision(loser, lost.getString("id"), customer);
            assertThat(d.getString("outcome")).isEqualTo("CAPPED");
            assertThat(d.getString("explanation")).isEqualTo(because);
        }
    }

    @Test
    void theHigherPriorityWinsWhenBothAreScheduledForTheSameMomentThoughTheLowerWasCreatedFirst() {
        scheduledForTheSameMoment(false);
    }

    @Test
    void theHigherPriorityWinsWhenItWasCreatedFirst() {
        scheduledForTheSameMoment(true);
    }

    /** Two campaigns scheduled for one moment, created (and scheduled) in the order given: the higher one wins. */
    private void scheduledForTheSameMoment(boolean higherFirst) {
        String m = marker();
        List<String> customers = tagged(m);
        Instant when = Instant.now().plus(AHEAD);
        String first = higherFirst ? campaign(m, m + " H", 50, at(when)) : campaign(m, m + " L", 5, at(when));
        String second = higherFirst ? campaign(m, m + " L", 5, at(when)) : campaign(m, m + " H", 50, at(when));
        act(first, "schedule", "SCHEDULED");
        act(second, "schedule", "SCHEDULED");
        bothBefore(when);
        String high = higherFirst ? first : second;
        String low = higherFirst ? second : first;
        completes(low, high);
        wins(high, m + " H", 50, low, customers);
    }

    @Test
    void theHigherPriorityWinsWhenBothAreSentNowTheLowerScheduledFirst() {
        String m = marker();
        List<String> customers = tagged(m);
        String low = campaign(m, m + " L", 5, Map.of("type", "NOW"));
        String high = campaign(m, m + " H", 50, Map.of("type", "NOW"));
        // the workers wait until both are scheduled, so that they start together, as two NOW schedules made at once
        scheduler.pause(CampaignRunner.JOB);
        try {
            act(low, "schedule", "SCHEDULED");
            act(high, "schedule", "SCHEDULED");
        } finally {
            scheduler.resume(CampaignRunner.JOB);
        }
        completes(low, high);
        wins(high, m + " H", 50, low, customers);
    }

    @Test
    void aReachMadeBeforeAHigherPriorityCampaignStartedStandsAndCapsIt() {
        String m = marker();
        List<String> customers = tagged(m);
        String low = campaign(m, m + " L", 5, Map.of("type", "NOW"));
        act(low, "schedule", "SCHEDULED");
        completes(low);
        String high = campaign(m, m + " H", 50, Map.of("type", "NOW"));
        act(high, "schedule", "SCHEDULED");
        completes(high);
        wins(low, m + " L", 5, high, customers);
    }
}
