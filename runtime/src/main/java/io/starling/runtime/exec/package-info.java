/**
 * The Kubernetes remote-command protocol over WebSocket ({@code kubectl exec}), as the node agent
 * speaks it: {@link io.starling.runtime.exec.RemoteCommand} is the pure frame codec (channel
 * bytes, the v5 close signal, the metav1.Status with the exit code on the error channel), with no
 * I/O. The Netty side lives in {@code runtime.http}.
 */
package io.starling.runtime.exec;
