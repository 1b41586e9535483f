package io.starling.runtime.process;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.core.time.Clock;
import io.starling.runtime.backend.BackendException;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.backend.ContainerInfo;
import io.starling.runtime.backend.ContainerSpec;
import io.starling.runtime.backend.ExecProcess;
import io.starling.runtime.backend.ExecResult;
import io.starling.runtime.backend.ImageInfo;
import io.starling.runtime.backend.SandboxInfo;
import io.starling.runtime.backend.SandboxSpec;
import io.starling.runtime.backend.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@link ContainerBackend} running each container's command as a supervised host process; see the
 * package documentation for what it isolates and what it does not.
 *
 * <p>Layout under {@code stateDir}: {@code sandboxes/ID.json}, {@code containers/ID/} with
 * {@code container.json}, {@code run.sh}, {@code stdout}, {@code stderr}, {@code exitcode} and the
 * pump's {@code offsets}. IDs are derived from (pod uid, attempt) and (sandbox, name, attempt), so
 * creating the same instance twice fails instead of running it twice. The maps are guarded by
 * this object's monitor: the agent calls from a small worker pool. Slow work (state files,
 * directories, spawning a process) runs outside the monitor on an id reserved in {@link #pending},
 * and liveness comes from a cached {@link Process} or {@link ProcessHandle} rather than a /proc
 * scan, so listing N containers costs no system call per running container: a node with 100 pods
 * lists its containers on every pod sync.
 */
public final class ProcessBackend implements ContainerBackend {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final int EXEC_OUTPUT_LIMIT_BYTES = 64 * 1024;

    private final Path stateDir;
    private final Clock clock;
    private final boolean mountNamespaces;
    private final LogPump pump;
    private final TreeMap<String, SandboxRecord> sandboxes = new TreeMap<>();
    private final TreeMap<String, ContainerRecord> containers = new TreeMap<>();
    /** Sandbox and container ids being created or started outside the monitor. */
    private final Set<String> pending = new HashSet<>();
    /** Container id -> is its supervisor alive; filled on start, or on first look for adopted ones. */
    private final Map<String, BooleanSupplier> liveness = new ConcurrentHashMap<>();

    /**
     * @param stateDir where the backend keeps its state; reusing it adopts what an earlier
     *     instance started
     * @param logPollMillis how often stdout/stderr are turned into log records
     */
    public ProcessBackend(Path stateDir, Clock clock, long logPollMillis) {
        this.stateDir = stateDir.toAbsolutePath();
        this.clock = clock;
        this.mountNamespaces = canUseMountNamespaces();
        try {
            Files.createDirectories(this.stateDir.resolve("sandboxes"));
            Files.createDirectories(this.stateDir.resolve("containers"));
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use process backend state dir " + stateDir, e);
        }
        this.pump = new LogPump(clock, logPollMillis);
        for (ContainerRecord c : containers.values()) {
            if (c.startedAtNanos > 0) {
                pump.track(c.id, containerDir(c.id), Path.of(c.logPath), () -> exited(c));
            }
        }
        pump.start();
    }

    /** Whether volumes are bind-mounted at their mountPath (root + unshare) or only exposed by env. */
    public boolean mountsVolumes() {
        return mountNamespaces;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public String version() {
        return "process://0.1.0";
    }

    @Override
    public Optional<ImageInfo> imageStatus(String image) {
        // The image is not used: the command comes from the host.
        return Optional.of(new ImageInfo("process://" + image, 0));
    }

    @Override
    public String runSandbox(SandboxSpec spec) {
        String id = digest(spec.podUid() + "/" + spec.attempt());
        synchronized (this) {
            if (sandboxes.containsKey(id) || !pending.add(id)) {
                throw new BackendException("sandbox for pod " + spec.namespace() + "/" + spec.podName() + " attempt "
                        + spec.attempt() + " already exists");
            }
        }
        try {
            SandboxRecord r = newSandbox(id, spec);
            synchronized (this) {
                sandboxes.put(id, r);
            }
            return id;
        } finally {
            synchronized (this) {
                pending.remove(id);
            }
        }
    }

    /** Creates the sandbox's directory and state file; not visible to others until put in the map. */
    private SandboxRecord newSandbox(String id, SandboxSpec spec) {
        SandboxRecord r = new SandboxRecord();
        r.id = id;
        r.podUid = spec.podUid();
        r.podName = spec.podName();
        r.namespace = spec.namespace();
        r.attempt = spec.attempt();
        r.createdAtNanos = nowNanos();
        r.labels = new TreeMap<>(spec.labels());
        r.logDirectory = spec.logDirectory().toString();
        try {
            Files.createDirectories(spec.logDirectory());
        } catch (IOException e) {
            throw new BackendException("cannot create log directory: " + e.getMessage(), e);
        }
        save(r);
        return r;
    }

    @Override
    public void stopSandbox(String sandboxId) {
        List<String> ids;
        synchronized (this) {
            SandboxRecord r = sandboxes.get(sandboxId);
            if (r == null || r.stopped) {
                return;
            }
            ids = containers.values().stream().filter(c -> c.sandboxId.equals(sandboxId)).map(c -> c.id).toList();
        }
        for (String id : ids) {
            stopContainer(id, 0);
        }
        synchronized (this) {
            SandboxRecord r = sandboxes.get(sandboxId);
            if (r != null) {
                r.stopped = true;
                save(r);
            }
        }
    }

    @Override
    public void removeSandbox(String sandboxId) {
        stopSandbox(sandboxId);
        List<String> ids;
        synchronized (this) {
            ids = containers.values().stream().filter(c -> c.sandboxId.equals(sandboxId)).map(c -> c.id).toList();
        }
        ids.forEach(this::removeContainer);
        synchronized (this) {
            if (sandboxes.remove(sandboxId) != null) {
                deleteQuietly(stateDir.resolve("sandboxes").resolve(sandboxId + ".json"));
            }
        }
    }

    @Override
    public synchronized List<SandboxInfo> listSandboxes() {
        List<SandboxInfo> out = new ArrayList<>();
        for (SandboxRecord r : sandboxes.values()) {
            out.add(new SandboxInfo(r.id, r.podUid, r.podName, r.namespace, r.attempt, !r.stopped, r.createdAtNanos,
                    Map.copyOf(r.labels)));
        }
        return out;
    }

    @Override
    public String createContainer(String sandboxId, SandboxSpec sandbox, ContainerSpec spec) {
        if (spec.command().isEmpty() && spec.args().isEmpty()) {
            throw new BackendException("the process runtime cannot run the default command of image \"" + spec.image()
                    + "\": it runs a container's command on the host, so set command (and args)");
        }
        String id = digest(sandboxId + "/" + spec.name() + "/" + spec.attempt());
        String logDirectory;
        synchronized (this) {
            SandboxRecord sb = sandboxes.get(sandboxId);
            if (sb == null || sb.stopped) {
                throw new BackendException("sandbox " + sandboxId + " is not ready");
            }
            if (containers.containsKey(id) || !pending.add(id)) {
                throw new BackendException("container " + spec.name() + " attempt " + spec.attempt() + " already exists");
            }
            logDirectory = sb.logDirectory;
        }
        try {
            ContainerRecord c = newContainer(id, sandboxId, logDirectory, sandbox.hostname(), spec);
            synchronized (this) {
                containers.put(id, c);
            }
            return id;
        } finally {
            synchronized (this) {
                pending.remove(id);
            }
        }
    }

    /** Writes the container's directory, script and state file; not visible to others until put in the map. */
    private ContainerRecord newContainer(String id, String sandboxId, String logDirectory, String hostname,
            ContainerSpec spec) {
        ContainerRecord c = new ContainerRecord();
        c.id = id;
        c.sandboxId = sandboxId;
        c.name = spec.name();
        c.attempt = spec.attempt();
        c.image = spec.image();
        c.createdAtNanos = nowNanos();
        c.labels = new TreeMap<>(spec.labels());
        c.logPath = Path.of(logDirectory).resolve(spec.logFileName()).toString();
        c.argv = new ArrayList<>(spec.command());
        c.argv.addAll(spec.args());
        c.workingDir = spec.workingDir() == null || spec.workingDir().isEmpty() ? null : spec.workingDir();
        c.env = new LinkedHashMap<>(spec.env());
        // As a container runtime does: HOSTNAME is the pod's hostname unless the pod sets it itself.
        if (hostname != null) {
            c.env.putIfAbsent("HOSTNAME", hostname);
        }
        for (VolumeMount m : spec.mounts()) {
            String var = "STARLING_VOLUME_" + m.hostPath().getFileName().toString().toUpperCase().replace('-', '_').replace('.', '_');
            c.env.putIfAbsent(var, m.hostPath().toString());
        }
        Path dir = containerDir(id);
        try {
            Files.createDirectories(dir);
            c.createdMountDirs = new ArrayList<>();
            if (c.workingDir != null) {
                // Like a container runtime, create a missing working directory (removed with the container).
                c.createdMountDirs.addAll(ensureDirectory(Path.of(c.workingDir)));
            }
            if (mountNamespaces) {
                for (VolumeMount m : spec.mounts()) {
                    c.createdMountDirs.addAll(ensureDirectory(Path.of(m.containerPath())));
                }
            }
            Files.writeString(dir.resolve("run.sh"), SupervisorScript.render(c, spec.mounts(), mountNamespaces, dir),
                    StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new BackendException("cannot prepare container " + spec.name() + ": " + e.getMessage(), e);
        }
        save(c);
        return c;
    }

    @Override
    public void startContainer(String containerId) {
        ContainerRecord c;
        synchronized (this) {
            c = require(containerId);
            if (c.startedAtNanos > 0 || !pending.add(containerId)) {
                throw new BackendException("container " + c.name + " was already started");
            }
        }
        try {
            spawn(c);
        } finally {
            synchronized (this) {
                pending.remove(containerId);
            }
        }
    }

    /** Starts the supervisor of a reserved container; only the bookkeeping holds the monitor. */
    private void spawn(ContainerRecord c) {
        String containerId = c.id;
        Path dir = containerDir(containerId);
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        if (mountNamespaces) {
            cmd.addAll(List.of("unshare", "--mount", "--propagation", "private"));
        }
        cmd.addAll(List.of("/bin/sh", dir.resolve("run.sh").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        pb.environment().put("HOME", "/root");
        pb.environment().putAll(c.env);
        pb.directory(c.workingDir != null && Files.isDirectory(Path.of(c.workingDir)) ? Path.of(c.workingDir).toFile() : dir.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout").toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr").toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            synchronized (this) {
                c.startedAtNanos = nowNanos();
                c.finishedAtNanos = c.startedAtNanos;
                c.exitCode = 128;
                c.message = "cannot start: " + e.getMessage();
                save(c);
            }
            throw new BackendException("cannot start container " + c.name + ": " + e.getMessage(), e);
        }
        long pidStart = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        liveness.put(containerId, p::isAlive);
        synchronized (this) {
            c.pid = p.pid();
            c.pidStartMillis = pidStart;
            c.startedAtNanos = nowNanos();
            save(c);
            if (containers.get(containerId) != c) {
                // removed while starting: do not leave its process behind
                signalGroup(c.pid, "KILL");
                return;
            }
            pump.track(c.id, dir, Path.of(c.logPath), () -> exited(c));
        }
    }

    @Override
    public void stopContainer(String containerId, long graceSeconds) {
        ContainerRecord c;
        synchronized (this) {
            c = containers.get(containerId);
            if (c == null || c.startedAtNanos == 0 || exited(c)) {
                return;
            }
        }
        signalGroup(c.pid, "TERM");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, graceSeconds));
        while (System.nanoTime() < deadline && alive(c)) {
            sleep(50);
        }
        if (alive(c)) {
            signalGroup(c.pid, "KILL");
            long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < killDeadline && alive(c)) {
                sleep(20);
            }
        }
        synchronized (this) {
            exited(c);
        }
    }

    @Override
    public void removeContainer(String containerId) {
        stopContainer(containerId, 0);
        synchronized (this) {
            ContainerRecord c = containers.remove(containerId);
            if (c == null) {
                return;
            }
            liveness.remove(containerId);
            pump.untrack(containerId);
            deleteTree(containerDir(containerId));
            deleteQuietly(Path.of(c.logPath));
            if (c.createdMountDirs != null) {
                for (String d : c.createdMountDirs) {
                    removeIfEmptyTree(Path.of(d));
                }
            }
        }
    }

    @Override
    public synchronized List<ContainerInfo> listContainers() {
        List<ContainerInfo> out = new ArrayList<>();
        for (ContainerRecord c : containers.values()) {
            out.add(info(c));
        }
        return out;
    }

    private ContainerInfo info(ContainerRecord c) {
        ContainerInfo.State state;
        if (c.startedAtNanos == 0) {
            state = ContainerInfo.State.CREATED;
        } else if (exited(c)) {
            state = ContainerInfo.State.EXITED;
        } else {
            state = ContainerInfo.State.RUNNING;
        }
        String reason = state == ContainerInfo.State.EXITED ? (c.exitCode == 0 ? "Completed" : "Error") : "";
        return new ContainerInfo(c.id, c.sandboxId, c.name, c.attempt, state, c.createdAtNanos, c.startedAtNanos,
                c.finishedAtNanos, c.exitCode, reason, c.message == null ? "" : c.message, "process://" + c.image,
                Path.of(c.logPath), Map.copyOf(c.labels));
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, long timeoutSeconds) {
        ContainerRecord c = running(containerId);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile(containerDir(containerId), "exec", ".out");
            err = Files.createTempFile(containerDir(containerId), "exec", ".err");
            ProcessBuilder pb = execBuilder(c, List.of(), command);
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(Math.max(1, timeoutSeconds), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BackendException("command timed out after " + timeoutSeconds + "s");
            }
            return new ExecResult(p.exitValue(), head(out), head(err));
        } catch (IOException e) {
            throw new BackendException("exec failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("exec failed: interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * Like the container: its env (with the volume variables), working dir and mount namespace,
     * in a session and process group of its own so {@link ExecProcess#destroy} ends all of it.
     * No tty: Java cannot allocate a pseudo-terminal without native code.
     */
    @Override
    public ExecProcess startExec(String containerId, List<String> command, boolean stdin, boolean tty) {
        if (tty) {
            throw new BackendException(TTY_UNSUPPORTED);
        }
        ContainerRecord c = running(containerId);
        ProcessBuilder pb = execBuilder(c, List.of("setsid"), command);
        pb.redirectInput(stdin ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            return new HostExecProcess(pb.start(), stdin);
        } catch (IOException e) {
            throw new BackendException("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    /** Why {@code kubectl exec -t} is refused by the process runtime. */
    public static final String TTY_UNSUPPORTED = "a tty (kubectl exec -t) is not supported by the process runtime: "
            + "the JVM cannot allocate a pseudo-terminal; run without -t";

    private ContainerRecord running(String containerId) {
        synchronized (this) {
            ContainerRecord c = containers.get(containerId);
            if (c == null || c.startedAtNanos == 0 || exited(c)) {
                throw new BackendException("container " + containerId + " is not running");
            }
            return c;
        }
    }

    private ProcessBuilder execBuilder(ContainerRecord c, List<String> wrapper, List<String> command) {
        List<String> cmd = new ArrayList<>(wrapper);
        if (mountNamespaces) {
            cmd.addAll(List.of("nsenter", "--target", Long.toString(c.pid), "--mount", "--"));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        pb.environment().put("HOME", "/root");
        pb.environment().putAll(c.env);
        if (c.workingDir != null && Files.isDirectory(Path.of(c.workingDir))) {
            pb.directory(Path.of(c.workingDir).toFile());
        }
        return pb;
    }

    /** A host process started under {@code setsid}: its pid is its process group id. */
    private static final class HostExecProcess implements ExecProcess {
        private final Process p;
        private final boolean stdin;

        HostExecProcess(Process p, boolean stdin) {
            this.p = p;
            this.stdin = stdin;
        }

        @Override
        public java.io.OutputStream stdin() {
            return stdin ? p.getOutputStream() : null;
        }

        @Override
        public java.io.InputStream stdout() {
            return p.getInputStream();
        }

        @Override
        public java.io.InputStream stderr() {
            return p.getErrorStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            return p.waitFor();
        }

        @Override
        public void destroy() {
            List<ProcessHandle> children = p.descendants().toList();
            if (p.isAlive()) {
                signalGroup(p.pid(), "KILL");
            }
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        // Containers keep running: an agent that restarts adopts them.
        pump.close();
    }

    /** True once the container has exited; records exit code and finish time the first time. */
    private boolean exited(ContainerRecord c) {
        synchronized (this) {
            if (c.finishedAtNanos > 0) {
                return true;
            }
            if (c.startedAtNanos == 0) {
                return false;
            }
            // The supervisor exits right after writing exitcode, so a live one means still running.
            if (alive(c)) {
                return false;
            }
            Path exitFile = containerDir(c.id).resolve("exitcode");
            if (Files.exists(exitFile)) {
                try {
                    c.exitCode = Integer.parseInt(Files.readString(exitFile).trim());
                } catch (IOException | NumberFormatException e) {
                    c.exitCode = 255;
                }
            } else {
                // The supervisor itself was killed (SIGKILL to the group): report it like a kill.
                c.exitCode = 137;
            }
            c.finishedAtNanos = nowNanos();
            save(c);
            return true;
        }
    }

    private boolean alive(ContainerRecord c) {
        return liveness.computeIfAbsent(c.id, k -> adopt(c)).getAsBoolean();
    }

    /**
     * Liveness of a supervisor an earlier instance started: its pid if the process there is still
     * the one recorded (a reused pid has another start time). The handle's own isAlive re-checks
     * that start time, so later calls cost one /proc read and no full process info.
     */
    private static BooleanSupplier adopt(ContainerRecord c) {
        Optional<ProcessHandle> h = ProcessHandle.of(c.pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return () -> false;
        }
        long start = h.get().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        if (c.pidStartMillis == 0 || start == 0 || Math.abs(start - c.pidStartMillis) < 2000) {
            return h.get()::isAlive;
        }
        return () -> false;
    }

    private static void signalGroup(long pgid, String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pgid).ifPresent(signal.equals("KILL") ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ContainerRecord require(String id) {
        ContainerRecord c = containers.get(id);
        if (c == null) {
            throw new BackendException("no such container " + id);
        }
        return c;
    }

    private Path containerDir(String id) {
        return stateDir.resolve("containers").resolve(id);
    }

    private long nowNanos() {
        return clock.wallMillis() * 1_000_000L;
    }

    private void load() throws IOException {
        try (Stream<Path> files = Files.list(stateDir.resolve("sandboxes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                SandboxRecord r = JSON.readValue(f.toFile(), SandboxRecord.class);
                sandboxes.put(r.id, r);
            }
        }
        try (Stream<Path> dirs = Files.list(stateDir.resolve("containers"))) {
            for (Path d : dirs.sorted().toList()) {
                Path f = d.resolve("container.json");
                if (Files.exists(f)) {
                    ContainerRecord c = JSON.readValue(f.toFile(), ContainerRecord.class);
                    containers.put(c.id, c);
                }
            }
        }
    }

    private void save(SandboxRecord r) {
        write(stateDir.resolve("sandboxes").resolve(r.id + ".json"), r);
    }

    private void save(ContainerRecord c) {
        write(containerDir(c.id).resolve("container.json"), c);
    }

    private static void write(Path file, Object value) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BackendException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the directory and returns the paths it had to create (topmost first). */
    private static List<String> ensureDirectory(Path dir) throws IOException {
        List<String> created = new ArrayList<>();
        Path p = dir.toAbsolutePath();
        Path top = null;
        while (p != null && !Files.exists(p)) {
            top = p;
            p = p.getParent();
        }
        if (top != null) {
            created.add(top.toString());
        }
        Files.createDirectories(dir);
        return created;
    }

    private static void removeIfEmptyTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            if (all.stream().allMatch(Files::isDirectory)) {
                for (Path p : all) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // still in use or not ours any more: leave it
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }

    private static String head(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int n = Math.min(b.length, EXEC_OUTPUT_LIMIT_BYTES);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean canUseMountNamespaces() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Persistent state of a sandbox. */
    static final class SandboxRecord {
        public String id;
        public String podUid;
        public String podName;
        public String namespace;
        public int attempt;
        public long createdAtNanos;
        public boolean stopped;
        public String logDirectory;
        public TreeMap<String, String> labels = new TreeMap<>();
    }

    /** Persistent state of a container instance. */
    static final class ContainerRecord {
        public String id;
        public String sandboxId;
        public String name;
        public int attempt;
        public String image;
        public long createdAtNanos;
        public long startedAtNanos;
        public long finishedAtNanos;
        public int exitCode;
        public String message;
        public long pid;
        public long pidStartMillis;
        public String logPath;
        public List<String> argv = new ArrayList<>();
        public String workingDir;
        public LinkedHashMap<String, String> env = new LinkedHashMap<>();
        public List<String> createdMountDirs = new ArrayList<>();
        public TreeMap<String, String> labels = new TreeMap<>();
    }
}
