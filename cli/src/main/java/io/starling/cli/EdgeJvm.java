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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JVM flags and class path of edge-peer processes ({@code starling up}, {@code starling bench
 * join}): tuned for small devices, only the jars an edge peer loads, plus an AppCDS archive of the
 * classes it loads.
 *
 * <p>Class-data sharing: JDK 17 has no auto-created archive, so the first edge peer started from a
 * given build gets {@code -XX:ArchiveClassesAtExit} and writes the archive when it stops; later
 * ones map it with {@code -XX:SharedArchiveFile} and skip parsing and verifying ~4,000 classes
 * (about a quarter less CPU from process start to "peer ready"). The archive lives next to the
 * CLI jar ({@code cli/target/cds/}, never committed) under a name hashed from the JDK and every
 * class-path jar's path, size and modification time, so a rebuild or another JDK simply makes a
 * new one (those older than the class path's jars are deleted when it is written; process and
 * containerd edge peers have different class paths, so one archive each). The JVM checks the
 * archive again itself and silently runs without it if it does not fit. No jar on the class path
 * (tests run from target/classes): no archive.
 */
final class EdgeJvm {
    /**
     * Tuned with `starling bench edge-peer-memory` (idle PSS 116 -> 87 MiB vs -Xmx96m SerialGC C1
     * -Xss512k alone): start the heap small and give freed heap back, a smaller code cache and one
     * compiler thread, no perf-data file, unpooled heap buffers in Netty (its pooled arenas hold
     * several MiB each); reflection stays on JNI accessors instead of generating a class (and a class
     * loader) per reflected method after 15 calls, ~150 of each in an agent. A 2 MiB young
     * generation (the default grows eden to ~6 MiB, all of it touched; -4 MiB) and C1 compiling
     * only methods 4x hotter than by default (half the compiled code, -2.5 MiB): an idle agent
     * allocates little and spends its CPU in I/O and TLS, not in our bytecode. Locale en_US:
     * java.util.Formatter (log lines, "%d") looks up the locale's digits for any other locale
     * (C.UTF-8 gives plain "en"), which loads the JDK's CLDR locale data, ~250 classes and
     * 0.4-0.8 MiB of heap; an edge peer's only text is its log, in English.
     */
    static final List<String> FLAGS = List.of("-Xms8m", "-Xmx96m", "-Xmn2m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            "-XX:CompileThresholdScaling=4", "-XX:ReservedCodeCacheSize=16m", "-Xss512k", "-XX:-UsePerfData",
            "-XX:MaxDirectMemorySize=32m", "-Dio.netty.allocator.type=unpooled", "-Dio.netty.noPreferDirect=true",
            "-Dsun.reflect.inflationThreshold=2147483647", "-Duser.language=en", "-Duser.country=US");
    /**
     * Environment of edge-peer processes: at most two glibc malloc arenas (the default, 8 per core,
     * lets each of the agent's threads grow its own native heap; ~1-2 MiB PSS on an idle agent).
     */
    static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");
    /**
     * Jars of this distribution an edge peer never loads: benchmarks, simulator and their libraries,
     * the Kubernetes API's (super-peers) and the CA's (certificate issuing, on super-peers). The JDK
     * opens every jar on the class path sooner or later (a class or resource lookup walks them in
     * order) and keeps each one's central directory on the heap; ~0.04 MiB per class path entry
     * as measured, more for the big ones (client-java-proto alone lists ~9,000 entries).
     */
    private static final List<String> NEVER_ON_EDGE = List.of("starling-benchmarks", "starling-simulator",
            "jfreechart", "commons-math3", "jmh-core", "jopt-simple", "client-java-proto", "json-patch", "msg-simple",
            "jackson-coreutils", "btf", "jackson-dataformat-yaml", "snakeyaml", "h2-mvstore", "caffeine", "bcpkix-jdk18on",
            "bcutil-jdk18on", "slf4j-api", "slf4j-jdk14");
    /** Jars only the containerd backend loads (its CRI client: gRPC over a unix socket with epoll). */
    private static final List<String> CONTAINERD_ONLY = List.of("grpc-", "protobuf-java", "proto-google-common-protos",
            "guava", "failureaccess", "listenablefuture", "perfmark-api", "gson", "error_prone_annotations",
            "j2objc-annotations", "jsr305", "animal-sniffer-annotations", "annotations", "jspecify", "netty-codec-http2",
            "netty-handler-proxy", "netty-codec-socks", "netty-codec-protobuf", "netty-codec-marshalling",
            "netty-transport-native-epoll", "netty-transport-classes-epoll");
    /** Silences CDS' own warnings (signed jars it skips, an archive that does not fit): peers' logs stay clean. */
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final String CLI_JAR = "starling-cli.jar";

    /** One process per archive writes it: two JVMs dumping into one file would corrupt it. */
    private static final Set<Path> DUMP_CLAIMED = new HashSet<>();

    private EdgeJvm() {}

    /**
     * The class path of an edge peer with backend {@code runtime}: this process's, minus the jars
     * edge peers never load (gRPC and its libraries stay for containerd). Directories (tests run
     * from target/classes) and unknown jars are kept.
     */
    static String classPath(String runtime) {
        return classPath(System.getProperty("java.class.path", ""), runtime);
    }

    static String classPath(String fullClassPath, String runtime) {
        List<String> kept = new ArrayList<>();
        for (String e : fullClassPath.split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            String artifact = artifactId(Path.of(e).getFileName() == null ? e : Path.of(e).getFileName().toString());
            boolean skip = NEVER_ON_EDGE.contains(artifact)
                    || (!"containerd".equals(runtime) && matches(CONTAINERD_ONLY, artifact));
            if (!skip) {
                kept.add(e);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /** "grpc-core-1.85.1.jar" -> "grpc-core"; "" for anything but a jar. */
    static String artifactId(String fileName) {
        if (!fileName.endsWith(".jar")) {
            return "";
        }
        String base = fileName.substring(0, fileName.length() - ".jar".length());
        for (int i = 0; i + 1 < base.length(); i++) {
            if (base.charAt(i) == '-' && Character.isDigit(base.charAt(i + 1))) {
                return base.substring(0, i);
            }
        }
        return base;
    }

    /** Exact artifact ids, or prefixes where the entry ends with '-'. */
    private static boolean matches(List<String> patterns, String artifact) {
        for (String p : patterns) {
            if (p.endsWith("-") ? artifact.startsWith(p) : artifact.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #FLAGS} (or STARLING_EDGE_JVM_OPTS when set, for tuning) plus the class-data sharing flags for {@code classPath}. */
    static synchronized List<String> flags(String classPath) {
        String override = System.getenv("STARLING_EDGE_JVM_OPTS");
        List<String> out = new ArrayList<>(override != null && !override.isBlank()
                ? List.of(override.trim().split("\\s+")) : FLAGS);
        Optional<Path> archive = archive(classPath);
        if (archive.isEmpty()) {
            return out;
        }
        Path a = archive.get();
        if (Files.isRegularFile(a)) {
            out.add("-XX:SharedArchiveFile=" + a);
        } else if (!DUMP_CLAIMED.contains(a) && prepare(a, classPath)) {
            DUMP_CLAIMED.add(a);
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

    /**
     * Makes the directory and deletes archives of older builds (older than a jar of this class
     * path; archives of the other backend's class path stay); false if it cannot be written.
     */
    private static boolean prepare(Path archive, String classPath) {
        try {
            long newestJar = 0;
            for (String e : classPath.split(File.pathSeparator)) {
                Path p = Path.of(e);
                if (!e.isEmpty() && Files.isRegularFile(p)) {
                    newestJar = Math.max(newestJar, Files.getLastModifiedTime(p).toMillis());
                }
            }
            Path dir = archive.getParent();
            Files.createDirectories(dir);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "edge-*.jsa")) {
                for (Path p : old) {
                    if (Files.getLastModifiedTime(p).toMillis() < newestJar) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            return Files.isWritable(dir);
        } catch (IOException e) {
            return false;
        }
    }
}
