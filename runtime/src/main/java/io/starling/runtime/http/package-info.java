/**
 * The node agent's kubelet-style HTTP API, which the gateway proxies {@code kubectl logs} to:
 * {@code GET /containerLogs/{ns}/{pod}/{container}} (follow, tailLines, sinceSeconds, timestamps,
 * previous, limitBytes), {@code GET /pods} and {@code GET /healthz}. Plain HTTP on the node's
 * address for now; it moves to mutual TLS with the peer transport's certificates once that lands.
 */
package io.starling.runtime.http;
