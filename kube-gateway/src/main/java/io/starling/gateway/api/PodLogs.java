package io.starling.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.gateway.http.ApiRequest;
import io.starling.gateway.http.Reply;
import io.starling.gateway.kubelet.KubeletProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** pods/log: finds the pod's node and its node agent endpoint, then proxies the log stream there. */
public final class PodLogs {
    static final int DEFAULT_KUBELET_PORT = 10250;

    private final ApiContext ctx;
    private final KubeletProxy proxy;

    public PodLogs(ApiContext ctx, KubeletProxy proxy) {
        this.ctx = ctx;
        this.proxy = proxy;
    }

    public CompletableFuture<Reply> get(ApiRequest req, Target t) {
        return ctx.objects().require(Resources.PODS, t.storeNamespace(), t.name()).thenCompose(pod -> {
            String container = container(req, pod, t.name());
            String nodeName = Json.text(pod, "spec", "nodeName");
            if (nodeName == null || nodeName.isEmpty()) {
                throw ApiException.badRequest("pod " + t.name() + " does not have a host assigned");
            }
            return ctx.objects().require(Resources.NODES, "", nodeName).thenCompose(node -> {
                String ip = address(node);
                if (ip == null) {
                    throw new ApiException(503, "ServiceUnavailable", "node " + nodeName + " reports no address");
                }
                int port = kubeletPort(node);
                Map<String, String> q = new TreeMap<>();
                for (String p : KubeletProxy.LOG_PARAMS) {
                    if (req.param(p) != null) {
                        q.put(p, req.param(p));
                    }
                }
                return proxy.containerLogs(ip, port, peerId(node), t.namespace(), t.name(), container, q).thenApply(r -> {
                    if (r instanceof KubeletProxy.Failure f) {
                        return Statuses.reply(new ApiException(f.code(), f.code() == 404 ? "NotFound" : "InternalError", f.message()));
                    }
                    return (Reply) r;
                });
            });
        });
    }

    /** The node agent's HTTP port, from the Node's kubelet endpoint. */
    static int kubeletPort(ObjectNode node) {
        return node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(DEFAULT_KUBELET_PORT);
    }

    /** The hex node id of the peer that runs the Node's agent, or null when the Node does not say. */
    static String peerId(ObjectNode node) {
        String id = node.path("metadata").path("annotations").path(StarlingLabels.PEER_ID).asText("");
        return id.isEmpty() ? null : id;
    }

    static String container(ApiRequest req, ObjectNode pod, String podName) {
        String c = req.param("container");
        List<String> names = new ArrayList<>();
        for (JsonNode x : pod.path("spec").path("containers")) {
            names.add(x.path("name").asText());
        }
        if (c != null && !c.isEmpty()) {
            boolean init = false;
            for (JsonNode x : pod.path("spec").path("initContainers")) {
                init |= c.equals(x.path("name").asText());
            }
            if (!names.contains(c) && !init) {
                throw ApiException.badRequest("container " + c + " is not valid for pod " + podName);
            }
            return c;
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        throw ApiException.badRequest("a container name must be specified for pod " + podName + ", choose one of: " + names);
    }

    static String address(ObjectNode node) {
        String first = null;
        for (JsonNode a : node.path("status").path("addresses")) {
            if ("InternalIP".equals(a.path("type").asText())) {
                return a.path("address").asText();
            }
            if (first == null) {
                first = a.path("address").asText(null);
            }
        }
        return first;
    }
}
