/**
 * The container runtime seen by the node agent: {@link io.starling.runtime.backend.ContainerBackend}
 * (sandbox, container, status, exec operations in CRI terms) and the value types it exchanges. Two
 * implementations exist: {@code io.starling.runtime.containerd} (real containers through CRI) and
 * {@code io.starling.runtime.process} (supervised host processes). Calls block; the agent makes
 * them from its worker executor, never from its event loop.
 */
package io.starling.runtime.backend;
