package io.starling.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code starling} process started with this JVM's class path, its output captured to a
 * file. Integration tests use it to run peers exactly as users do, on 127.0.0.1.
 */
public final class PeerProcess implements AutoCloseable {
    private final String name;
    private final List<String> prefix;
    private final List<String> args;
    private final Path log;
    private Process process;

    public PeerProcess(String name, Path logDir, List<String> args) {
        this(name, logDir, List.of(), args);
    }

    /** {@code prefix} runs the JVM through another command, e.g. {@code ip netns exec NS}. */
    public PeerProcess(String name, Path logDir, List<String> prefix, List<String> args) {
        this.name = name;
        this.prefix = List.copyOf(prefix);
        this.args = List.copyOf(args);
        this.log = logDir.resolve(name + ".log");
    }

    public PeerProcess start() throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.starling.cli.Main");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        return this;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits until the output contains a match of {@code regex}; returns group 1 (or the whole match). */
    public String awaitOutput(String regex, long timeoutMillis) throws IOException, InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(output());
            if (m.find()) {
                return m.groupCount() >= 1 ? m.group(1) : m.group();
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing /"
                        + regex + "/:\n" + output());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " did not print /" + regex + "/ within " + timeoutMillis + " ms:\n" + output());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Runs to completion (for one-shot commands); returns the exit code. */
    public int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException(name + " did not finish within " + timeoutMillis + " ms");
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM, then SIGKILL after a few seconds; then the pods it started. A peer that stops leaves
     * its pods running on purpose (a restarted agent adopts them), but a test must not leave them.
     */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> started = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                kill();
            }
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
