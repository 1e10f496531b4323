package io.headlesscrm.security;

import static io.headlesscrm.testing.Credentials.claims;
import static io.headlesscrm.testing.Credentials.sign;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Swaps;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With a burst large enough for leases (tokens this instance takes from Redis ahead of use), a client still
 * gets its burst, no more and no less: leasing saves Redis calls, it never adds or loses tokens.
 */
@QuarkusTest
class RateLimitLeaseTest {

    @Test
    void leasedTokensNeverExceedTheBurst() {
        Swaps.rateLimits(40, 0.01);
        String token = sign(claims("leaser-" + UUID.randomUUID(), Roles.ANALYST));
        int allowed = 0;
        int refused = 0;
        for (int i = 0; i < 60; i++) {
            int status = given().auth().oauth2(token).get("/api/v1/customers?limit=1").statusCode();
            assertThat(status).isIn(200, 429);
            if (status == 200) {
                allowed++;
            } else {
                refused++;
            }
        }
        // tokens a lease still holds after a second go back to the bucket, so even a slow run gets all 40
        assertThat(allowed).isEqualTo(40);
        assertThat(refused).isEqualTo(60 - allowed);
    }
}
