/**
 * The containerd backend: CRI v1 over containerd's unix socket ({@link
 * io.starling.runtime.containerd.CriClient}, messages generated from our own subset of the public
 * CRI proto), the {@link io.starling.runtime.containerd.ContainerdBackend} the agent uses, the
 * busybox-based {@link io.starling.runtime.containerd.TestImage} and a {@link
 * io.starling.runtime.containerd.PrivateContainerd} launcher for tests and {@code starling up}.
 *
 * <p>Pods use the node's network namespace (no CNI needed) and a private PID namespace per
 * container. resources.limits become CFS quota and memory limits (cgroups, applied by runc).
 * There is no registry: images must have been imported; a missing image is reported as
 * ErrImageNeverPull (policy Never) or ErrImagePull/ImagePullBackOff.
 */
package io.starling.runtime.containerd;
