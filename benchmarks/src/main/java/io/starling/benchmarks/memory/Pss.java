package io.starling.benchmarks.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Proportional set size from Linux {@code /proc/PID/smaps_rollup}: shared pages count divided by
 * the number of processes sharing them, so summing PSS over processes does not double-count.
 */
public final class Pss {
    private Pss() {}

    /** The "Pss:" line of an smaps_rollup text in KiB; empty if absent. */
    public static OptionalLong parseRollupKiB(String smapsRollup) {
        for (String line : smapsRollup.split("\n")) {
            if (line.startsWith("Pss:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(f[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** PSS of one process in KiB; 0 if it is gone or unreadable (a process can exit between listing and reading). */
    public static long ofProcessKiB(long pid) {
        try {
            return parseRollupKiB(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup"),
                    StandardCharsets.UTF_8)).orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** PSS of a process plus all its live descendants, in KiB. */
    public static long ofTreeKiB(ProcessHandle root) {
        return ofProcessKiB(root.pid()) + root.descendants().mapToLong(h -> ofProcessKiB(h.pid())).sum();
    }
}
