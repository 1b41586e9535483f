package io.starling.runtime.backend;

import java.nio.file.Path;

/** A host directory (or file) made visible at {@code containerPath}. */
public record VolumeMount(Path hostPath, String containerPath, boolean readOnly) {}
