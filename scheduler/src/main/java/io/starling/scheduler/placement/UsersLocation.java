package io.starling.scheduler.placement;

import io.starling.scheduler.vivaldi.Coordinate;
import io.starling.scheduler.vivaldi.CoordinateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a pod's users are, as a Vivaldi coordinate (null when unknown: proximity then plays no
 * part). Resolved from the starling.io/users annotation: {@code site:NAME} is the centroid of that
 * site's node coordinates, {@code peer:NODE} that node's coordinate, {@code coords:X,Y,H} literal;
 * without the annotation, the pod's home site.
 *
 * @param coordinate users' coordinate, or null
 * @param description what it was resolved from (for events and logs)
 */
public record UsersLocation(Coordinate coordinate, String description) {

    public static UsersLocation unknown(String why) {
        return new UsersLocation(null, why);
    }

    public boolean known() {
        return coordinate != null;
    }

    /**
     * @param nodes every node known (all sites), for site centroids and peer look-ups
     * @param siteCentroids centroids published by other sites (used when their nodes are not known)
     */
    public static UsersLocation resolve(PodInfo pod, List<NodeInfo> nodes, Map<String, Coordinate> siteCentroids) {
        String spec = pod.users();
        if (spec == null || spec.isBlank()) {
            if (pod.homeSite().isEmpty()) {
                return unknown("no users annotation and no home site");
            }
            spec = "site:" + pod.homeSite();
        }
        spec = spec.trim();
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return unknown("malformed users annotation '" + spec + "'");
        }
        String kind = spec.substring(0, colon).trim();
        String arg = spec.substring(colon + 1).trim();
        switch (kind) {
            case "site": {
                List<Coordinate> cs = new ArrayList<>();
                for (NodeInfo n : nodes) {
                    if (n.site().equals(arg) && n.coordinate() != null) {
                        cs.add(n.coordinate());
                    }
                }
                Coordinate c = Coordinate.centroid(cs);
                if (c == null) {
                    c = siteCentroids.get(arg);
                }
                return c == null ? unknown("no coordinates for site " + arg) : new UsersLocation(c, spec);
            }
            case "peer": {
                for (NodeInfo n : nodes) {
                    if (n.name().equals(arg) && n.coordinate() != null) {
                        return new UsersLocation(n.coordinate(), spec);
                    }
                }
                return unknown("no coordinate for peer " + arg);
            }
            case "coords": {
                try {
                    return new UsersLocation(CoordinateFormat.parseCoordinate(arg), spec);
                } catch (IllegalArgumentException e) {
                    return unknown("malformed users coordinates: " + e.getMessage());
                }
            }
            default:
                return unknown("unknown users kind '" + kind + "' (use site:, peer: or coords:)");
        }
    }
}
