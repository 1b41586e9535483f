package io.starling.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/** Where benchmark results go: benchmarks/results/ under the repo (or STARLING_RESULTS_DIR). */
public final class Results {
    private Results() {}

    public static Path dir() throws IOException {
        String env = System.getenv("STARLING_RESULTS_DIR");
        Path dir;
        if (env != null && !env.isBlank()) {
            dir = Paths.get(env);
        } else {
            Path cwd = Paths.get("").toAbsolutePath();
            dir = Files.isDirectory(cwd.resolve("benchmarks")) ? cwd.resolve("benchmarks/results") : cwd.resolve("results");
        }
        Files.createDirectories(dir);
        return dir;
    }

    /** Appends the summary line, prefixed with an ISO timestamp given by the caller, to NAME.txt. */
    public static Path append(String benchmark, String timestamp, String summaryLine) throws IOException {
        Path file = dir().resolve(benchmark + ".txt");
        Files.writeString(file, timestamp + " " + summaryLine + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }
}
