package io.starling.runtime.process;

import io.starling.core.time.Clock;
import io.starling.runtime.logs.CriLogFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Turns the raw stdout/stderr files of process containers into CRI log records. One daemon thread
 * polls the files of live containers every {@code pollMillis}; complete lines become "F" records
 * stamped with the time they were seen, a line longer than {@link #MAX_LINE_BYTES} is split into
 * "P" records. Offsets are persisted next to the files so a restarted agent continues where the
 * last one stopped. After a container exits its files are drained once more and dropped.
 */
final class LogPump implements AutoCloseable {
    static final int MAX_LINE_BYTES = 16 * 1024;
    private static final int MAX_READ_BYTES = 1 << 20;

    private final Clock clock;
    private final long pollMillis;
    private final Map<String, Tracked> tracked = new TreeMap<>();
    private final Thread thread;
    private volatile boolean closed;

    LogPump(Clock clock, long pollMillis) {
        this.clock = clock;
        this.pollMillis = pollMillis;
        this.thread = new Thread(this::loop, "starling-process-logs");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private static final class Tracked {
        final Path dir;
        final Path log;
        final BooleanSupplier exited;
        final long[] offsets = new long[2];

        Tracked(Path dir, Path log, BooleanSupplier exited) {
            this.dir = dir;
            this.log = log;
            this.exited = exited;
        }
    }

    synchronized void track(String id, Path dir, Path log, BooleanSupplier exited) {
        Tracked t = new Tracked(dir, log, exited);
        try {
            Path off = dir.resolve("offsets");
            if (Files.exists(off)) {
                String[] p = Files.readString(off).trim().split(" ");
                t.offsets[0] = Long.parseLong(p[0]);
                t.offsets[1] = Long.parseLong(p[1]);
            }
        } catch (IOException | RuntimeException e) {
            // start over: at worst some lines appear twice
        }
        tracked.put(id, t);
    }

    synchronized void untrack(String id) {
        tracked.remove(id);
    }

    private void loop() {
        while (!closed) {
            List<Map.Entry<String, Tracked>> snapshot;
            synchronized (this) {
                snapshot = new ArrayList<>(tracked.entrySet());
            }
            for (Map.Entry<String, Tracked> e : snapshot) {
                Tracked t = e.getValue();
                boolean done = t.exited.getAsBoolean();
                try {
                    pump(t, done);
                } catch (IOException ex) {
                    // the container was removed under us; drop it below
                    done = true;
                }
                if (done) {
                    synchronized (this) {
                        tracked.remove(e.getKey(), t);
                    }
                }
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    /** Copies new complete lines (all remaining bytes when {@code flush}) into the CRI log. */
    void pump(Tracked t, boolean flush) throws IOException {
        StringBuilder out = new StringBuilder();
        String[] streams = {"stdout", "stderr"};
        boolean moved = false;
        for (int i = 0; i < 2; i++) {
            Path raw = t.dir.resolve(streams[i]);
            if (!Files.exists(raw)) {
                continue;
            }
            long size = Files.size(raw);
            if (size <= t.offsets[i]) {
                continue;
            }
            byte[] data;
            try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "r")) {
                data = new byte[(int) Math.min(size - t.offsets[i], MAX_READ_BYTES)];
                f.seek(t.offsets[i]);
                f.readFully(data);
            }
            Instant now = Instant.ofEpochMilli(clock.wallMillis());
            int start = 0;
            for (int j = 0; j < data.length; j++) {
                if (data[j] == '\n' || j - start >= MAX_LINE_BYTES) {
                    boolean partial = data[j] != '\n';
                    int end = partial ? j + 1 : j;
                    out.append(new CriLogFormat(now, streams[i], partial, new String(data, start, end - start, StandardCharsets.UTF_8)).toLine()).append('\n');
                    start = j + 1;
                }
            }
            if (flush && start < data.length) {
                out.append(new CriLogFormat(now, streams[i], false, new String(data, start, data.length - start, StandardCharsets.UTF_8)).toLine()).append('\n');
                start = data.length;
            }
            if (start > 0) {
                t.offsets[i] += start;
                moved = true;
            }
        }
        if (moved) {
            Files.writeString(t.log, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.writeString(t.dir.resolve("offsets"), t.offsets[0] + " " + t.offsets[1], StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
