/**
 * Starling's node runtime: the node agent ({@code agent}), its container backends ({@code backend},
 * {@code containerd}, {@code process}), CRI logs ({@code logs}) and the agent's HTTP API
 * ({@code http}). {@link io.starling.runtime.Runtimes} opens the backend named by
 * {@code --runtime}.
 */
package io.starling.runtime;
