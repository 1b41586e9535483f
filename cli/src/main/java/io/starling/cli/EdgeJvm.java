package io.starling.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JVM flags of edge-peer processes ({@code starling up}, {@code starling bench join}): tuned for
 * small devices, plus an AppCDS archive of the classes an edge peer loads.
 *
 * <p>Class-data sharing: JDK 17 has no auto-created archive, so the first edge peer started from a
 * given build gets {@code -XX:ArchiveClassesAtExit} and writes the archive when it stops; later
 * ones map it with {@code -XX:SharedArchiveFile} and skip parsing and verifying ~4,000 classes
 * (about a quarter less CPU from process start to "peer ready"). The archive lives next to the
 * CLI jar ({@code cli/target/cds/}, never committed) under a name hashed from the JDK and every
 * class-path jar's path, size and modification time, so a rebuild or another JDK simply makes a
 * new one (older ones are deleted when it is written). The JVM checks the archive again itself and
 * silently runs without it if it does not fit. No jar on the class path (tests run from
 * target/classes): no archive.
 */
final class EdgeJvm {
    /**
     * Tuned with `starling bench edge-peer-memory` (idle PSS 116 -> 87 MiB vs -Xmx96m SerialGC C1
     * -Xss512k alone): start the heap small and give freed heap back, a smaller code cache and one
     * compiler thread, no perf-data file, unpooled heap buffers in Netty (its pooled arenas hold
     * several MiB each); reflection stays on JNI accessors instead of generating a class (and a class
     * loader) per reflected method after 15 calls, ~150 of each in an agent.
     */
    static final List<String> FLAGS = List.of("-Xms8m", "-Xmx96m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            "-XX:ReservedCodeCacheSize=16m", "-Xss512k", "-XX:-UsePerfData", "-XX:MaxDirectMemorySize=32m",
            "-Dio.netty.allocator.type=unpooled", "-Dio.netty.noPreferDirect=true",
            "-Dsun.reflect.inflationThreshold=2147483647");
    /**
     * Environment of edge-peer processes: at most two glibc malloc arenas (the default, 8 per core,
     * lets each of the agent's threads grow its own native heap; ~1-2 MiB PSS on an idle agent).
     */
    static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");
    /** Silences CDS' own warnings (signed jars it skips, an archive that does not fit): peers' logs stay clean. */
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final String CLI_JAR = "starling-cli.jar";

    /** One process per build writes the archive: two JVMs dumping into one file would corrupt it. */
    private static boolean dumpClaimed;

    private EdgeJvm() {}

    /** {@link #FLAGS} (or STARLING_EDGE_JVM_OPTS when set, for tuning) plus this build's class-data sharing flags. */
    static synchronized List<String> flags() {
        String override = System.getenv("STARLING_EDGE_JVM_OPTS");
        List<String> out = new ArrayList<>(override != null && !override.isBlank()
                ? List.of(override.trim().split("\\s+")) : FLAGS);
        Optional<Path> archive = archive(System.getProperty("java.class.path", ""));
        if (archive.isEmpty()) {
            return out;
        }
        Path a = archive.get();
        if (Files.isRegularFile(a)) {
            out.add("-XX:SharedArchiveFile=" + a);
        } else if (!dumpClaimed && prepare(a)) {
            dumpClaimed = true;
            out.add("-XX:ArchiveClassesAtExit=" + a);
        } else {
            return out;
        }
        out.addAll(QUIET);
        return out;
    }

    /** Where this build's edge archive lives, if the CLI runs from its jar. */
    static Optional<Path> archive(String classPath) {
        List<Path> entries = new ArrayList<>();
        Path cliJar = null;
        for (String e : classPath.split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            Path p = Path.of(e).toAbsolutePath();
            entries.add(p);
            if (p.getFileName() != null && p.getFileName().toString().equals(CLI_JAR)) {
                cliJar = p;
            }
        }
        if (cliJar == null || cliJar.getParent() == null) {
            return Optional.empty();
        }
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (Path p : entries) {
                String stamp = p + "\n";
                if (Files.isRegularFile(p)) {
                    BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
                    stamp = p + " " + attrs.size() + " " + attrs.lastModifiedTime().toMillis() + "\n";
                }
                d.update(stamp.getBytes(StandardCharsets.UTF_8));
            }
            String key = HexFormat.of().formatHex(d.digest(), 0, 8);
            return Optional.of(cliJar.getParent().resolve("cds").resolve("edge-" + key + ".jsa"));
        } catch (IOException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    /** Makes the directory and deletes archives of older builds; false if it cannot be written. */
    private static boolean prepare(Path archive) {
        try {
            Path dir = archive.getParent();
            Files.createDirectories(dir);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "edge-*.jsa")) {
                for (Path p : old) {
                    Files.deleteIfExists(p);
                }
            }
            return Files.isWritable(dir);
        } catch (IOException e) {
            return false;
        }
    }
}
