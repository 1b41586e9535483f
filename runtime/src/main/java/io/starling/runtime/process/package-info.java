/**
 * The process runtime: each container's command runs as a supervised host process, for devices
 * without containerd and for fast tests.
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li>Each container runs in its own session and process group ({@code setsid}); stopping sends
 *       SIGTERM to the whole group, then SIGKILL after the grace period.</li>
 *   <li>When run as root with {@code unshare} available, each container gets a private mount
 *       namespace and its volumes are bind-mounted at their real {@code mountPath} (read-only when
 *       asked), so {@code cat /etc/config/key} works as in a container. A missing mountPath
 *       directory is created on the host (it is shared: mount namespaces do not isolate the file
 *       tree) and removed again when the container is removed, if still empty. Without
 *       {@code unshare} (not root), volumes are NOT mounted: the container finds each volume's host
 *       directory in the environment variable {@code STARLING_VOLUME_<NAME>} (name upper-cased,
 *       {@code -} and {@code .} as {@code _}), which is always set.</li>
 *   <li>stdout and stderr go straight to files (so a container survives an agent restart); a
 *       pump thread turns them into CRI-format log records with the time it saw each line.</li>
 *   <li>Exit codes are written by a tiny {@code /bin/sh} supervisor around the command; state lives
 *       in JSON files under the backend's directory, so a restarted agent adopts running
 *       containers.</li>
 * </ul>
 *
 * <h2>What it does NOT isolate</h2>
 * No cgroups (resources.limits are not enforced), no network namespace (pods share the host
 * network: two pods listening on one port collide), no PID, IPC, UTS or user namespace (processes
 * see and can signal every host process, run as the agent's user, i.e. root), no root filesystem
 * (the image is ignored; commands come from the host), no seccomp/capabilities. Use it for trusted
 * workloads and tests only.
 */
package io.starling.runtime.process;
