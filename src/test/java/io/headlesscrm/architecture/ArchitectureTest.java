package io.headlesscrm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Rules of the code's shape that a review would otherwise have to catch. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.headlesscrm");
    /** REST Assured's methods that read a body with a GPath: on a response, and on its assertions (by name). */
    private static final Set<String> EXTRACTIONS = Set.of("path", "jsonPath");
    private static final Set<String> ASSERTIONS = Set.of("body", "rootPath", "appendRootPath");
    private static final JavaClasses TESTS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS).importPackages("io.headlesscrm");

    /** Features and common depend on each other one way only: a cycle makes every change reach the whole loop. */
    @Test
    void noPackageCycles() {
        slices().matching("io.headlesscrm.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /**
     * Tests read response bodies one way, with testing.Json: REST Assured's GPath ({@code .body("path", matcher)},
     * {@code extract().path(…)}, {@code jsonPath()}, {@code JsonPath}) compiles every path into a Groovy class and
     * was the largest single cost of the suite.
     */
    @Test
    void testsReadJsonWithTheirOwnPaths() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("io.restassured.path.json.JsonPath")
                .orShould().callMethodWhere(gpath()).check(TESTS);
    }

    /**
     * One Quarkus application per test JVM: a test profile is another application, built and started again in the
     * middle of a suite half (and 3.29 sometimes fails that restart, quarkusio/quarkus#50661). A test that needs other
     * settings swaps a component for the test with testing.Swaps.
     */
    @Test
    void testsNeedNoTestProfile() {
        noClasses().should().beAnnotatedWith("io.quarkus.test.junit.TestProfile")
                .orShould().implement("io.quarkus.test.junit.QuarkusTestProfile").check(TESTS);
    }

    private static DescribedPredicate<JavaCall<?>> gpath() {
        return DescribedPredicate.describe("a REST Assured GPath read", call -> {
            String owner = call.getTarget().getOwner().getName();
            String name = call.getTarget().getName();
            var parameters = call.getTarget().getRawParameterTypes();
            return owner.startsWith("io.restassured.response.") && (EXTRACTIONS.contains(name)
                    || ASSERTIONS.contains(name) && !parameters.isEmpty() && parameters.get(0).isEquivalentTo(String.class));
        });
    }
}
