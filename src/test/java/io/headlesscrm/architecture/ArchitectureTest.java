package io.headlesscrm.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Rules of the code's shape that a review would otherwise have to catch. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.headlesscrm");

    /** Features and common depend on each other one way only: a cycle makes every change reach the whole loop. */
    @Test
    void noPackageCycles() {
        slices().matching("io.headlesscrm.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
