/**
 * Forwarding of node-level requests from the gateway to the node agent that runs the pod:
 * pods/log as a streamed HTTP proxy ({@link io.starling.gateway.kubelet.KubeletProxy}), pods/exec
 * as a WebSocket frame relay ({@link io.starling.gateway.kubelet.AgentExec},
 * {@link io.starling.gateway.kubelet.FrameRelay}). On super-peers both go over mutual TLS
 * ({@link io.starling.gateway.kubelet.AgentClientTls}) to an agent that must prove to be the peer
 * its Node names.
 */
package io.starling.gateway.kubelet;
