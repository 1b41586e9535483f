/**
 * Forwarding of node-level requests from the gateway to the node agent that runs the pod:
 * pods/log as a streamed HTTP proxy ({@link io.starling.gateway.kubelet.KubeletProxy}), pods/exec
 * as a WebSocket frame relay ({@link io.starling.gateway.kubelet.AgentExec},
 * {@link io.starling.gateway.kubelet.FrameRelay}).
 */
package io.starling.gateway.kubelet;
