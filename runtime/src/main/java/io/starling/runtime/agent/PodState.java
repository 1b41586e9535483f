package io.starling.runtime.agent;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the agent remembers about one pod between syncs, beyond what the backend reports: probe
 * progress per container instance, when an exit was first seen (back-off), why a container is
 * waiting, and which one-shot Events were already emitted. Lost on agent restart by design: the
 * backend's state is the truth, this only paces probes and restarts. Touched by one sync at a
 * time (the work queue guarantees it).
 */
final class PodState {
    final String uid;
    /** Container instance id -> probe progress. */
    final Map<String, ProbeState> probes = new TreeMap<>();
    /** Container instance id -> mono millis its exit was first observed. */
    final Map<String, Long> exitSeenMillis = new TreeMap<>();
    /** Container name -> why it is waiting (reason, message); cleared once it runs. */
    final Map<String, Waiting> waiting = new TreeMap<>();
    /** Keys of one-shot Events already emitted (e.g. "BackOff/<container id>"). */
    final Set<String> emitted = new TreeSet<>();

    PodState(String uid) {
        this.uid = uid;
    }

    record Waiting(String reason, String message) {}

    /** Progress of the three probes of one container instance. */
    static final class ProbeState {
        final Probing startup = new Probing();
        final Probing liveness = new Probing();
        final Probing readiness = new Probing();
        boolean startupDone;
    }

    /** Consecutive results of one probe. */
    static final class Probing {
        long lastRunMillis = Long.MIN_VALUE;
        int successes;
        int failures;
        Boolean passing;

        void record(boolean ok, int successThreshold, int failureThreshold) {
            if (ok) {
                successes++;
                failures = 0;
                if (successes >= successThreshold) {
                    passing = true;
                }
            } else {
                failures++;
                successes = 0;
                if (failures >= failureThreshold) {
                    passing = false;
                }
            }
        }
    }
}
