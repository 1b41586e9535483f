package io.starling.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.time.SystemClock;
import io.starling.runtime.backend.ContainerBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimesTest {
    @TempDir
    Path dir;

    @Test
    void opensTheProcessRuntime() throws Exception {
        try (ContainerBackend b = Runtimes.open("process", dir, null, SystemClock.INSTANCE)) {
            assertEquals("process", b.name());
            assertTrue(b.listSandboxes().isEmpty());
        }
    }

    @Test
    void rejectsAnUnknownRuntimeClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Runtimes.open("docker", dir, null, SystemClock.INSTANCE));
        assertTrue(e.getMessage().contains("containerd or process"), e.getMessage());
    }
}
