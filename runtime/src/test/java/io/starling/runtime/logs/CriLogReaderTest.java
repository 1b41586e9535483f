package io.starling.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogReaderTest {
    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    private Path write(String... lines) throws Exception {
        Path f = dir.resolve("c_0.log");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private static String rec(int secondsAfter, String stream, String tag, String content) {
        return new CriLogFormat(T0.plusSeconds(secondsAfter), stream, tag.equals("P"), content).toLine();
    }

    @Test
    void partialRecordsAreJoinedAndStreamsInterleaved() throws Exception {
        Path f = write(rec(0, "stdout", "F", "one"), rec(1, "stderr", "P", "tw"), rec(1, "stderr", "F", "o"), "garbage line",
                rec(2, "stdout", "F", ""));
        List<String> texts = CriLogReader.read(f, LogOptions.ALL, T0.plusSeconds(10)).lines().stream().map(CriLogReader.Line::text).toList();
        assertEquals(List.of("one", "two", ""), texts);
    }

    @Test
    void tailLinesAndSinceSeconds() throws Exception {
        Path f = write(rec(0, "stdout", "F", "a"), rec(5, "stdout", "F", "b"), rec(9, "stdout", "F", "c"));
        assertEquals(List.of("b", "c"), texts(CriLogReader.read(f, new LogOptions(2, 0, false, false, false, 0), T0.plusSeconds(10))));
        assertEquals(List.of("c"), texts(CriLogReader.read(f, new LogOptions(-1, 3, false, false, false, 0), T0.plusSeconds(10))));
        assertEquals(List.of(), texts(CriLogReader.read(f, new LogOptions(0, 0, false, false, false, 0), T0.plusSeconds(10))));
    }

    @Test
    void timestampsRenderRfc3339Nano() {
        CriLogReader.Line l = new CriLogReader.Line(T0.plusNanos(5), "stdout", "x");
        assertEquals("2026-11-27T12:00:00.000000005Z x\n", l.render(true));
        assertEquals("x\n", l.render(false));
    }

    @Test
    void anIncompleteTailIsLeftForTheNextRead() throws Exception {
        Path f = dir.resolve("c.log");
        String first = rec(0, "stdout", "F", "done") + "\n";
        Files.writeString(f, first + rec(1, "stdout", "F", "half"));
        CriLogReader.Chunk c = CriLogReader.readFrom(f, 0, 1 << 20);
        assertEquals(List.of("done"), texts(c));
        assertEquals(first.length(), c.nextOffset());
        Files.writeString(f, first + rec(1, "stdout", "F", "half") + "\n");
        assertEquals(List.of("half"), texts(CriLogReader.readFrom(f, c.nextOffset(), 1 << 20)));
    }

    private static List<String> texts(CriLogReader.Chunk c) {
        return c.lines().stream().map(CriLogReader.Line::text).toList();
    }
}
