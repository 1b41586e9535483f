package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Kubernetes API level Starling implements, as /version reports it. */
public final class VersionInfo {
    public static final String MAJOR = "1";
    public static final String MINOR = "32";
    public static final String GIT_VERSION = "v1.32.0-starling";

    private VersionInfo() {}

    public static ObjectNode json() {
        ObjectNode o = Json.object();
        o.put("major", MAJOR);
        o.put("minor", MINOR);
        o.put("gitVersion", GIT_VERSION);
        o.put("gitCommit", "0000000000000000000000000000000000000000");
        o.put("gitTreeState", "clean");
        o.put("buildDate", "2026-01-01T00:00:00Z");
        o.put("goVersion", "go1.23.0");
        o.put("compiler", "gc");
        o.put("platform", "linux/amd64");
        return o;
    }
}
