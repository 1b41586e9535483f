package io.starling.simulator.scenario;

/** A scenario that cannot be read or makes no sense; the message is one line a user can act on. */
public final class ScenarioException extends RuntimeException {
    public ScenarioException(String message) {
        super(message);
    }
}
