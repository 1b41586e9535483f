package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.ssl.SslContext;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.gateway.http.ApiRequest;
import io.starling.gateway.http.Reply;
import io.starling.gateway.kubelet.AgentClientTls;
import io.starling.gateway.kubelet.AgentExec;
import io.starling.gateway.kubelet.ExecStatus;
import io.starling.gateway.kubelet.KubeletProxy;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * pods/exec: checks the request and the pod (as pods/log does: its node, the node's agent
 * endpoint, the container), then upgrades the client to WebSocket and relays it to the node
 * agent of the pod's peer ({@link AgentExec}). Only the WebSocket remote-command protocols are
 * served; a SPDY request gets a 400 Status after the same checks, so kubectl's SPDY fallback
 * reports the real problem (e.g. NotFound) when there is one. With the proxy's agent TLS the relay
 * runs over wss:// to an agent that must prove to be the Node's peer, as for pods/log.
 */
public final class PodExec {
    /** Exec sessions one gateway relays at once (each holds two connections, no thread). */
    public static final int MAX_SESSIONS = 256;

    private final ApiContext ctx;
    private final AgentClientTls tls;
    private final Semaphore sessions = new Semaphore(MAX_SESSIONS);

    public PodExec(ApiContext ctx) {
        this(ctx, null);
    }

    /** @param proxy how node agents are reached: its {@link KubeletProxy#agentTls()} secures exec too */
    public PodExec(ApiContext ctx, KubeletProxy proxy) {
        this.ctx = ctx;
        this.tls = proxy == null ? null : proxy.agentTls().orElse(null);
    }

    public CompletableFuture<Reply> start(ApiRequest req, Target t) {
        List<String> command = req.query().getOrDefault("command", List.of());
        if (command.isEmpty()) {
            throw ApiException.badRequest("you must specify at least one command for the container");
        }
        Map<String, Boolean> flags = new TreeMap<>();
        for (String f : AgentExec.FLAGS) {
            flags.put(f, req.flag(f));
        }
        if (!flags.get("stdin") && !flags.get("stdout") && !flags.get("stderr")) {
            throw ApiException.badRequest("you must specify at least one of stdin, stdout, stderr");
        }
        String upgrade = req.header("upgrade");
        boolean websocket = upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
        String protocol = ExecStatus.select(req.header("sec-websocket-protocol"));
        return ctx.objects().require(Resources.PODS, t.storeNamespace(), t.name()).thenCompose(pod -> {
            String container = PodLogs.container(req, pod, t.name());
            String phase = Json.text(pod, "status", "phase");
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                throw ApiException.badRequest("cannot exec into a container in a completed pod; current phase is " + phase);
            }
            String nodeName = Json.text(pod, "spec", "nodeName");
            if (nodeName == null || nodeName.isEmpty()) {
                throw ApiException.badRequest("pod " + t.name() + " does not have a host assigned");
            }
            return ctx.objects().require(Resources.NODES, "", nodeName).thenApply(node -> {
                if (!websocket) {
                    throw ApiException.badRequest("pods/exec is served over WebSocket only (subprotocol "
                            + String.join(" or ", ExecStatus.PROTOCOLS) + "); SPDY is not supported: use kubectl 1.30 or newer"
                            + " without KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false");
                }
                if (protocol == null) {
                    throw ApiException.badRequest("none of the offered WebSocket subprotocols [" + req.header("sec-websocket-protocol")
                            + "] is supported; use " + String.join(" or ", ExecStatus.PROTOCOLS));
                }
                URI agent = agentUri(node, nodeName, t, container, command, flags);
                SslContext agentTls = null;
                if (tls != null) {
                    String peerId = PodLogs.peerId(node);
                    if (peerId == null) {
                        throw new ApiException(503, "ServiceUnavailable", "node " + nodeName + " does not name its peer (annotation "
                                + StarlingLabels.PEER_ID + "), so its node agent cannot be authenticated");
                    }
                    agentTls = tls.nettyFor(peerId);
                }
                SslContext linkTls = agentTls;
                if (!sessions.tryAcquire()) {
                    throw new ApiException(429, "TooManyRequests", "too many exec sessions on this server (limit " + MAX_SESSIONS + ")");
                }
                return (Reply) new Reply.Upgrade(protocol, AgentExec.MAX_FRAME_PAYLOAD_BYTES, ch -> {
                    ch.closeFuture().addListener(x -> sessions.release());
                    AgentExec.relay(ch, agent, protocol, linkTls);
                }, sessions::release);
            });
        });
    }

    private URI agentUri(ObjectNode node, String nodeName, Target t, String container, List<String> command,
                                Map<String, Boolean> flags) {
        String ip = PodLogs.address(node);
        if (ip == null) {
            throw new ApiException(503, "ServiceUnavailable", "node " + nodeName + " reports no address");
        }
        int port = PodLogs.kubeletPort(node);
        return AgentExec.agentUri(tls != null, ip, port, t.namespace(), t.name(), container, command, flags);
    }
}
