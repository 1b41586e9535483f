package io.starling.simulator;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Silences the simulated peers' logging in tests (thousands of peers would flood the test output). */
final class QuietLogs {
    /** Held strongly: a logger's level is lost when the logger is garbage collected. */
    private static final Logger STARLING = Logger.getLogger("io.starling");

    private QuietLogs() {}

    static void install() {
        STARLING.setLevel(Level.SEVERE);
    }
}
