package io.starling.cli.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.cli.peer.AdminMessages.AdminError;
import io.starling.cli.peer.AdminMessages.ImageChunk;
import io.starling.cli.peer.AdminMessages.ImageChunkAck;
import io.starling.cli.peer.AdminMessages.ImageImported;
import io.starling.core.net.Message;
import io.starling.core.time.Clock;
import io.starling.runtime.backend.ContainerBackend;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pieces of an upload become one file handed to the runtime, or a clear refusal; nothing stays behind. */
class ImageImportServiceTest {
    @TempDir
    Path dir;

    private final List<byte[]> imported = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private ImageImportService service;

    private ImageImportService service() {
        // a runtime that only imports: it keeps the bytes it was handed
        ContainerBackend backend = (ContainerBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerBackend.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("importImage")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    imported.add(Files.readAllBytes((Path) args[0]));
                    return List.of("example.org/x:1");
                });
        Clock clock = new Clock() {
            @Override
            public long wallMillis() {
                return now.get();
            }

            @Override
            public long monoNanos() {
                return now.get() * 1_000_000L;
            }
        };
        service = new ImageImportService(backend, dir.resolve("uploads"), clock);
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private Message send(ImageChunk c) throws Exception {
        return service.handle(null, null, c).get(10, TimeUnit.SECONDS);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void piecesInOrderAreImportedAsOneFileAndTheFileIsRemoved() throws Exception {
        service();
        byte[] whole = "first-piece|second-piece".getBytes();
        assertEquals(12, ((ImageChunkAck) send(new ImageChunk("u1", 0, "first-piece|".getBytes(), false, null))).received());
        ImageImported done = (ImageImported) send(new ImageChunk("u1", 12, "second-piece".getBytes(), true, sha256(whole)));
        assertEquals(List.of("example.org/x:1"), done.names());
        assertEquals(whole.length, done.bytes());
        assertArrayEquals(whole, imported.get(0));
        try (var files = Files.list(dir.resolve("uploads"))) {
            assertEquals(0, files.count(), "upload file removed after import");
        }
    }

    @Test
    void aCorruptedUploadIsRefusedAndNotImported() throws Exception {
        service();
        Message r = send(new ImageChunk("u2", 0, "data".getBytes(), true, sha256("other".getBytes())));
        assertTrue(((AdminError) r).message().contains("corrupted"), r.toString());
        assertTrue(imported.isEmpty());
    }

    @Test
    void aGapOrAnUnknownUploadIsRefused() throws Exception {
        service();
        send(new ImageChunk("u3", 0, "abc".getBytes(), false, null));
        AdminError gap = assertInstanceOf(AdminError.class, send(new ImageChunk("u3", 5, "x".getBytes(), false, null)));
        assertTrue(gap.message().contains("start again"), gap.message());
        AdminError unknown = assertInstanceOf(AdminError.class, send(new ImageChunk("u3", 3, "x".getBytes(), true, "00")));
        assertTrue(unknown.message().contains("unknown upload"), unknown.message());
        AdminError badId = assertInstanceOf(AdminError.class, send(new ImageChunk("../../etc", 0, "x".getBytes(), true, "00")));
        assertTrue(badId.message().contains("upload id"), badId.message());
    }

    @Test
    void anIdleUploadIsDroppedAndItsSlotFreed() throws Exception {
        service();
        for (int i = 0; i < ImageImportService.MAX_OPEN_UPLOADS; i++) {
            send(new ImageChunk("idle-" + i, 0, "x".getBytes(), false, null));
        }
        AdminError full = assertInstanceOf(AdminError.class, send(new ImageChunk("one-more", 0, "x".getBytes(), false, null)));
        assertTrue(full.message().contains("too many"), full.message());
        now.addAndGet(ImageImportService.IDLE_TIMEOUT_MILLIS + 1);
        assertInstanceOf(ImageChunkAck.class, send(new ImageChunk("one-more", 0, "x".getBytes(), false, null)));
        AdminError gone = assertInstanceOf(AdminError.class, send(new ImageChunk("idle-0", 1, "y".getBytes(), true, "00")));
        assertTrue(gone.message().contains("unknown upload"), gone.message());
    }

    @Test
    void otherMessagesAreLeftToOtherHandlers() {
        service();
        assertEquals(null, service.handle(null, null, new AdminMessages.CoordsRequest()));
    }
}
