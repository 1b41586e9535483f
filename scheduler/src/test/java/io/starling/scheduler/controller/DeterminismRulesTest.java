package io.starling.scheduler.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The queue, election and controller packages must run on virtual time in the simulator: no
 * system clock, no sleeping, no unseeded randomness, no threads of their own.
 */
class DeterminismRulesTest {
    private static final String[] MINE = {"io.starling.scheduler.queue..", "io.starling.scheduler.election..",
            "io.starling.scheduler.controller.."};

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.starling.scheduler");

    @Test
    void noSystemTimeSleepOrAmbientRandomness() {
        noClasses().that().resideInAnyPackage(MINE)
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().accessClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .orShould().accessClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().callConstructor(Thread.class, Runnable.class)
                .check(classes);
    }
}
