package io.headlesscrm.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The committed contracts must be exactly what the service serves. After an intended API change, regenerate
 * them with {@code ./mvnw test -Dtest=ContractsTest -Dcrm.contracts.write=true} and commit the result.
 */
@QuarkusTest
class ContractsTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "/q/openapi?format=yaml, openapi/openapi.yaml",
            "/graphql/schema.graphql, graphql/schema.graphql",
    })
    void committedContractMatchesWhatTheServiceServes(String url, String file) throws IOException {
        String served = given().urlEncodingEnabled(false).when().get(url).then().statusCode(200)
                .extract().asString();
        Path committed = Path.of(file);
        if (Boolean.getBoolean("crm.contracts.write")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, served);
        }
        assertThat(committed).as("%s is missing; run with -Dcrm.contracts.write=true", file).exists();
        assertThat(Files.readString(committed))
                .as("%s differs from %s; regenerate with -Dcrm.contracts.write=true and commit", file, url)
                .isEqualTo(served);
    }
}
