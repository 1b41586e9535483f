package io.starling.runtime.logs;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** One record of a CRI log file, and its text form. */
public record CriLogFormat(Instant time, String stream, boolean partial, String content) {
    /** RFC 3339 with nanoseconds, as containerd writes it. */
    static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(java.time.ZoneOffset.UTC);

    public static String formatTime(Instant t) {
        return TIME.format(t);
    }

    /** The record as one line, without the trailing newline. */
    public String toLine() {
        return formatTime(time) + " " + stream + " " + (partial ? "P" : "F") + " " + content;
    }

    /** Parses a line; returns null for a line that is not a CRI record (skipped by readers). */
    public static CriLogFormat parse(String line) {
        int a = line.indexOf(' ');
        if (a <= 0) {
            return null;
        }
        int b = line.indexOf(' ', a + 1);
        if (b < 0) {
            return null;
        }
        int c = line.indexOf(' ', b + 1);
        String tag = c < 0 ? line.substring(b + 1) : line.substring(b + 1, c);
        String content = c < 0 ? "" : line.substring(c + 1);
        try {
            Instant t = Instant.parse(line.substring(0, a));
            return new CriLogFormat(t, line.substring(a + 1, b), tag.startsWith("P"), content);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
