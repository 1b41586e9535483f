package io.starling.runtime;

import io.starling.core.time.Clock;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.containerd.ContainerdBackend;
import io.starling.runtime.containerd.PrivateContainerd;
import io.starling.runtime.containerd.TestImage;
import io.starling.runtime.process.ProcessBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the backend chosen by {@code --runtime containerd|process}. For containerd without a
 * {@code --containerd-socket}, a private containerd is started (its own config, root, state and
 * socket under {@code <dataDir>/containerd}, or a short temp directory when that path is too long
 * for a unix socket) with the busybox test image imported; closing the backend stops it.
 */
public final class Runtimes {
    /** CRI call deadline; StopContainer adds the grace period on top. */
    public static final long CRI_CALL_TIMEOUT_MILLIS = 60_000;
    /** Unix socket paths are limited to 108 bytes; keep a margin for the socket file name. */
    private static final int MAX_SOCKET_DIR_CHARS = 90;

    private Runtimes() {}

    /**
     * @param runtime "containerd" or "process"
     * @param containerdSocket an existing containerd's socket, or null to start a private one
     */
    public static ContainerBackend open(String runtime, Path dataDir, Path containerdSocket, Clock clock) throws IOException {
        switch (runtime) {
            case "process":
                return new ProcessBackend(dataDir.resolve("process"), clock, 100);
            case "containerd":
                if (containerdSocket != null) {
                    return new ContainerdBackend(containerdSocket, CRI_CALL_TIMEOUT_MILLIS);
                }
                if (!PrivateContainerd.available()) {
                    throw new IOException("containerd is not installed (apt-get install -y containerd runc busybox-static) "
                            + "and no --containerd-socket was given");
                }
                Path dir = dataDir.resolve("containerd").toAbsolutePath();
                if (dir.toString().length() > MAX_SOCKET_DIR_CHARS) {
                    dir = Files.createTempDirectory("starling-ctrd-");
                }
                PrivateContainerd c = PrivateContainerd.start(dir, TestImage.DEFAULT_BUSYBOX, 30_000);
                try {
                    return new ContainerdBackend(c.socket(), CRI_CALL_TIMEOUT_MILLIS, c);
                } catch (RuntimeException e) {
                    c.close();
                    throw e;
                }
            default:
                throw new IllegalArgumentException("unknown runtime '" + runtime + "': use containerd or process");
        }
    }
}
