package io.starling.runtime.backend;

/** Labels the agent puts on sandboxes and containers so it can find them again after a restart. */
public final class Labels {
    private Labels() {}

    public static final String MANAGED = "starling.io/managed-by";
    public static final String MANAGED_VALUE = "starling-agent";
    /** The node whose agent owns the object: several agents may share one containerd. */
    public static final String NODE = "starling.io/node";
    public static final String POD_UID = "starling.io/pod-uid";
    public static final String POD_NAME = "starling.io/pod-name";
    public static final String POD_NAMESPACE = "starling.io/pod-namespace";
    public static final String CONTAINER_NAME = "starling.io/container-name";
    /** "init" or "regular". */
    public static final String CONTAINER_KIND = "starling.io/container-kind";
}
