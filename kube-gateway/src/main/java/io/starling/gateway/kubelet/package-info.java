/** Forwarding of node-level requests (pods/log) from the gateway to the node agent that runs the pod. */
package io.starling.gateway.kubelet;
