package io.starling.runtime.backend;

import java.util.List;
import java.util.Map;

/**
 * One container instance to create.
 *
 * @param attempt restart count of this instance (0 = first run); (name, attempt) is unique per sandbox
 * @param env resolved environment, in the pod spec's order
 * @param logFileName file name under the sandbox's log directory
 * @param cpuMillis CPU limit in millicores, 0 = none
 * @param memoryBytes memory limit, 0 = none
 */
public record ContainerSpec(String name, int attempt, String image, List<String> command, List<String> args,
                           String workingDir, Map<String, String> env, List<VolumeMount> mounts, String logFileName,
                           Map<String, String> labels, long cpuMillis, long memoryBytes) {
    public ContainerSpec {
        command = List.copyOf(command);
        args = List.copyOf(args);
        mounts = List.copyOf(mounts);
    }
}
