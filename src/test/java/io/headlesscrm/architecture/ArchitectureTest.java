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

import io.restassured.response.ResponseBodyExtractionOptions;
import io.restassured.response.ValidatableResponseOptions;

/** Rules of the code's shape that a review would otherwise have to catch. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.headlesscrm");
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

    private static DescribedPredicate<JavaCall<?>> gpath() {
        Set<String> extraction = Set.of("path", "jsonPath");
        return DescribedPredicate.describe("a REST Assured GPath read", call -> {
            var owner = call.getTarget().getOwner();
            String name = call.getTarget().getName();
            return owner.isAssignableTo(ResponseBodyExtractionOptions.class) && extraction.contains(name)
                    || owner.isAssignableTo(ValidatableResponseOptions.class)
                            && (name.equals("body") || name.equals("rootPath") || name.equals("appendRootPath"))
                            && !call.getTarget().getRawParameterTypes().isEmpty()
                            && call.getTarget().getRawParameterTypes().get(0).isEquivalentTo(String.class);
        });
    }
}
