package io.headlesscrm.tour;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Runs the API tour against the service at -Dcrm.baseUrl with the admin key -Dcrm.apiKey (see .ci/client-e2e.sh). */
class ApiTourTest {
    @Test
    void readmeApiTourPassesThroughTheGeneratedClient() {
        int steps = new ApiTour(ApiTour.setting("crm.baseUrl", "CRM_BASE_URL"), ApiTour.setting("crm.apiKey", "CRM_API_KEY"))
                .run();
        assertTrue(steps > 0);
    }
}
