/**
 * The node agent (Starling's kubelet): {@link io.starling.runtime.agent.NodeAgent} registers the
 * Node, renews its Lease, watches the pods bound to the node and reconciles each one
 * (level-triggered, one pod key at a time) against a {@link io.starling.runtime.backend.ContainerBackend}:
 * sandbox, volumes, init containers, containers, probes, restarts with back-off, graceful
 * deletion, status and Events. Pure helpers (status computation, env resolution, back-off) are
 * separate classes so they can be tested without a runtime.
 */
package io.starling.runtime.agent;
