package io.starling.scheduler.election;

/** What a candidate does when it gains or loses leadership; both run on the elector's loop. */
public interface LeaderCallbacks {
    void onStartedLeading();

    void onStoppedLeading();

    /** Called whenever the observed leader changes (including to this candidate). */
    default void onNewLeader(String identity) {}
}
