package io.starling.runtime.agent;

import io.starling.core.time.SystemClock;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.process.ProcessBackend;
import java.nio.file.Path;

/** The agent scenario on the process backend (host processes). */
class ProcessBackendScenarioTest extends AgentScenarioContract {
    @Override
    ContainerBackend newBackend(Path dir) {
        return new ProcessBackend(dir.resolve("process"), SystemClock.INSTANCE, 50);
    }
}
