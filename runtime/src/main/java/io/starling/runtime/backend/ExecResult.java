package io.starling.runtime.backend;

/** Outcome of a command run inside a container; output is capped by the backend. */
public record ExecResult(int exitCode, String stdout, String stderr) {}
