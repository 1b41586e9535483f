package io.starling.scheduler.service;

/**
 * One backend of a Service port as the proxy sees it.
 *
 * @param address IP of the pod
 * @param port target port on the pod
 * @param nodeName node the pod runs on ("" when unknown)
 * @param site site of that node ("" when unknown)
 * @param ready the endpoint's ready condition
 * @param predictedRttMs predicted round trip from this node to the endpoint's node; 0 for this
 *     node itself, {@link Double#POSITIVE_INFINITY} when no coordinate is known
 */
public record Endpoint(String address, int port, String nodeName, String site, boolean ready, double predictedRttMs) {
    public Endpoint {
        if (address == null || address.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint needs an address and a port in 1..65535");
        }
        nodeName = nodeName == null ? "" : nodeName;
        site = site == null ? "" : site;
        if (Double.isNaN(predictedRttMs) || predictedRttMs < 0) {
            predictedRttMs = Double.POSITIVE_INFINITY;
        }
    }

    public String hostPort() {
        return address + ":" + port;
    }
}
