package io.starling.cli.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol code must take time and randomness from core's Clock/EventLoop/RandomSource so the
 * simulator runs it deterministically (STYLE.md rule 2). Only the system implementations, the
 * command line, benchmarks and code that supervises real OS processes may touch the real ones.
 */
class InjectedTimeAndRandomnessTest {
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.starling");
    }

    private static final String[] ALLOWED = {
        "io.starling.core.time..", "io.starling.core.exec..", "io.starling.core.random..",
        "io.starling.core.net.netty..", "io.starling.cli..", "io.starling.benchmarks..",
        "io.starling.runtime.process..", "io.starling.runtime.containerd..", "io.starling.runtime.cri..",
        "io.starling.simulator.progress..",
    };

    @Test
    void protocolCodeDoesNotReadTheSystemClock() {
        ArchRule rule = noClasses().that().resideOutsideOfPackages(ALLOWED)
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(java.time.Instant.class, "now")
                .because("time must come from the injected Clock (simulation runs on virtual time)");
        assertNoViolation(rule);
    }

    @Test
    void protocolCodeDoesNotUseUnseededRandomness() {
        ArchRule rule = noClasses().that().resideOutsideOfPackages(ALLOWED)
                .should().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().callMethod(Math.class, "random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .because("randomness must come from the per-peer seeded RandomSource");
        assertNoViolation(rule);
    }

    /** Work queue, election and controllers also keep no threads or java.util.Random of their own. */
    @Test
    void controllersRunOnlyOnTheirEventLoop() {
        ArchRule rule = noClasses().that().resideInAnyPackage("io.starling.scheduler.queue..",
                        "io.starling.scheduler.election..", "io.starling.scheduler.controller..")
                .should().accessClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().callConstructor(Thread.class, Runnable.class)
                .because("controllers run on the peer's event loop, also inside the simulator");
        assertNoViolation(rule);
    }

    private static void assertNoViolation(ArchRule rule) {
        EvaluationResult result = rule.evaluate(production);
        assertFalse(result.hasViolation(), () -> result.getFailureReport().toString());
    }
}
