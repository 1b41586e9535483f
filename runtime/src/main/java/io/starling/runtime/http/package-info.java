/**
 * The node agent's kubelet-style HTTP API, which the gateway proxies {@code kubectl logs} and
 * {@code kubectl exec} to: {@code GET /containerLogs/{ns}/{pod}/{container}} (follow, tailLines,
 * sinceSeconds, timestamps, previous, limitBytes), {@code /exec/{ns}/{pod}/{container}} (WebSocket),
 * {@code GET /pods} and {@code GET /healthz}. On peers it is mutual TLS with the peer's own
 * certificate, open to super-peers only ({@link io.starling.runtime.http.AgentTls},
 * {@link io.starling.runtime.http.AgentCallers}); plain HTTP only for agents tests build in-process.
 */
package io.starling.runtime.http;
