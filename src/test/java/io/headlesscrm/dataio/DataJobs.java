package io.headlesscrm.dataio;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.headlesscrm.testing.Json;


/** Waiting for import and export jobs in tests. */
final class DataJobs {

    private static final List<String> FINISHED = List.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED");

    private DataJobs() {
    }

    /** Polls the job at {@code path} until it has finished, and answers it. */
    static Json awaitFinished(String path) {
        Json[] last = new Json[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = asAdmin().get(path).then().statusCode(200).extract().as(Json.class);
            return FINISHED.contains(last[0].getString("status"));
        });
        return last[0];
    }
}
