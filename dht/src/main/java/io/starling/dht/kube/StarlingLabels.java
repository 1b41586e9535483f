package io.starling.dht.kube;

/** Labels and annotations Starling adds to Kubernetes objects; one place so every module agrees. */
public final class StarlingLabels {
    private StarlingLabels() {}

    /** Label on Nodes (and on objects homed in a site): the site name. */
    public static final String SITE = "starling.io/site";
    /** Annotation on every object: the site whose gateway accepted its creation (its "home"). */
    public static final String HOME_SITE = "starling.io/home-site";
    /**
     * Annotation on Pods / pod templates: where the users are. One of {@code site:NAME},
     * {@code peer:NODE-NAME} or {@code coords:X,Y,HEIGHT} (Vivaldi ms). Default: the home site.
     */
    public static final String USERS = "starling.io/users";
    /** Annotation on Nodes: Vivaldi coordinate {@code X,Y,HEIGHT,ERROR} in milliseconds. */
    public static final String COORDINATES = "starling.io/vivaldi";
    /** Annotation on Nodes: the DHT node id (hex) of the peer that runs the node agent. */
    public static final String PEER_ID = "starling.io/peer-id";
    /** Label on Nodes: "super" or "edge". */
    public static final String ROLE = "starling.io/role";
}
