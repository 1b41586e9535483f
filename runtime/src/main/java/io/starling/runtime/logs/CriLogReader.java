package io.starling.runtime.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads a CRI log file as user-visible lines: partial records are joined, stdout and stderr are
 * interleaved in file order, filters of {@link LogOptions} applied. {@link #readFrom} reads
 * incrementally from a byte offset for follow mode; an incomplete last line is left for the next
 * call.
 */
public final class CriLogReader {
    private CriLogReader() {}

    /** A complete user line with the time of its last record. */
    public record Line(Instant time, String stream, String text) {
        public String render(boolean timestamps) {
            return timestamps ? CriLogFormat.formatTime(time) + " " + text + "\n" : text + "\n";
        }
    }

    /** Lines read from an offset, and the offset to continue from. */
    public record Chunk(List<Line> lines, long nextOffset) {}

    /**
     * Every complete line of the file after filtering by sinceSeconds/tailLines; the chunk's
     * offset is where a follower continues.
     */
    public static Chunk read(Path file, LogOptions opts, Instant now) throws IOException {
        if (!Files.exists(file)) {
            return new Chunk(List.of(), 0);
        }
        Chunk all = readFrom(file, 0, Long.MAX_VALUE);
        Instant since = opts.sinceSeconds() > 0 ? now.minusSeconds(opts.sinceSeconds()) : Instant.MIN;
        Deque<Line> kept = new ArrayDeque<>();
        for (Line l : all.lines()) {
            if (l.time().isBefore(since)) {
                continue;
            }
            kept.addLast(l);
            if (opts.tailLines() >= 0 && kept.size() > opts.tailLines()) {
                kept.removeFirst();
            }
        }
        return new Chunk(new ArrayList<>(kept), all.nextOffset());
    }

    /** Size of the file (where a follower starts after the initial read). */
    public static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Complete lines starting at {@code offset}, reading at most {@code maxBytes}. */
    public static Chunk readFrom(Path file, long offset, long maxBytes) throws IOException {
        if (!Files.exists(file)) {
            return new Chunk(List.of(), offset);
        }
        byte[] data;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = Math.min(f.length() - offset, maxBytes);
            if (len <= 0) {
                return new Chunk(List.of(), offset);
            }
            data = new byte[(int) Math.min(len, Integer.MAX_VALUE - 16)];
            f.seek(offset);
            f.readFully(data);
        }
        List<Line> lines = new ArrayList<>();
        StringBuilder partial = new StringBuilder();
        int start = 0;
        long consumed = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] != '\n') {
                continue;
            }
            CriLogFormat rec = CriLogFormat.parse(new String(data, start, i - start, StandardCharsets.UTF_8));
            start = i + 1;
            if (rec == null) {
                if (partial.isEmpty()) {
                    consumed = start;
                }
                continue;
            }
            partial.append(rec.content());
            if (!rec.partial()) {
                lines.add(new Line(rec.time(), rec.stream(), partial.toString()));
                partial.setLength(0);
                consumed = start;
            }
        }
        return new Chunk(lines, offset + consumed);
    }
}
