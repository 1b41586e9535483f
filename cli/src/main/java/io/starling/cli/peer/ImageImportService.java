package io.starling.cli.peer;

import io.starling.cli.peer.AdminMessages.AdminError;
import io.starling.cli.peer.AdminMessages.ImageChunk;
import io.starling.cli.peer.AdminMessages.ImageChunkAck;
import io.starling.cli.peer.AdminMessages.ImageImported;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.time.Clock;
import io.starling.runtime.backend.BackendException;
import io.starling.runtime.backend.ContainerBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Receives image tarballs for this peer's node agent, piece by piece ({@code starling image
 * import}), and hands each finished one to the container runtime. Everything runs on one worker
 * thread: writing pieces and running the import block, and must not hold up the peer's event loop.
 * Limits keep a client from filling the disk: bytes per upload, uploads at once, and an idle
 * timeout after which a half-sent upload is dropped.
 */
final class ImageImportService implements AutoCloseable {
    static final long MAX_IMAGE_BYTES = 1L << 30;
    static final int MAX_OPEN_UPLOADS = 4;
    static final long IDLE_TIMEOUT_MILLIS = 5 * 60_000;
    private static final Pattern UPLOAD_ID = Pattern.compile("[a-z0-9-]{1,64}");

    private final ContainerBackend backend;
    private final Path dir;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "starling-image-import");
        t.setDaemon(true);
        return t;
    });
    /** Open uploads by id; touched only on the worker thread. */
    private final Map<String, Upload> uploads = new TreeMap<>();

    ImageImportService(ContainerBackend backend, Path dir, Clock clock) {
        this.backend = backend;
        this.dir = dir;
        this.clock = clock;
        worker.execute(this::removeLeftovers);
    }

    /** Uploads cut short by a stop of the peer are useless: it cannot resume them. */
    private void removeLeftovers() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".tar")) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException ignored) {
            // nothing to do: a later upload with the same id overwrites its file
        }
    }

    /** Transport handler: takes {@link ImageChunk}s, returns null for any other message. */
    CompletableFuture<Message> handle(NodeId sender, PeerAddress from, Message m) {
        if (!(m instanceof ImageChunk c)) {
            return null;
        }
        return CompletableFuture.supplyAsync(() -> receive(c), worker);
    }

    private Message receive(ImageChunk c) {
        try {
            dropIdle();
            if (c.upload() == null || !UPLOAD_ID.matcher(c.upload()).matches()) {
                return new AdminError("upload id must match " + UPLOAD_ID.pattern());
            }
            Upload u = uploads.get(c.upload());
            if (u == null) {
                if (c.offset() != 0) {
                    return new AdminError("unknown upload " + c.upload() + " (expired or never started); start again");
                }
                if (uploads.size() >= MAX_OPEN_UPLOADS) {
                    return new AdminError("too many image uploads at once on this peer (" + MAX_OPEN_UPLOADS + "); retry later");
                }
                u = new Upload(dir, c.upload());
                uploads.put(c.upload(), u);
            }
            byte[] data = c.data() == null ? new byte[0] : c.data();
            if (c.offset() != u.received) {
                return fail(u, "piece at offset " + c.offset() + " but " + u.received + " bytes received; start again");
            }
            if (u.received + data.length > MAX_IMAGE_BYTES) {
                return fail(u, "image larger than " + (MAX_IMAGE_BYTES >> 20) + " MiB");
            }
            u.append(data, clock.monoMillis());
            if (!c.last()) {
                return new ImageChunkAck(u.received);
            }
            uploads.remove(c.upload());
            try (Upload finished = u) {
                String digest = finished.sha256();
                if (!digest.equals(c.sha256())) {
                    return new AdminError("image upload corrupted: sha256 " + digest + " but the client sent " + c.sha256());
                }
                List<String> names = backend.importImage(finished.file);
                return new ImageImported(names, finished.received);
            }
        } catch (BackendException | IOException e) {
            return new AdminError(e.getMessage());
        }
    }

    private Message fail(Upload u, String why) {
        uploads.remove(u.id);
        u.close();
        return new AdminError(why);
    }

    private void dropIdle() {
        long now = clock.monoMillis();
        for (Iterator<Upload> it = uploads.values().iterator(); it.hasNext(); ) {
            Upload u = it.next();
            if (now - u.lastPieceMillis > IDLE_TIMEOUT_MILLIS) {
                it.remove();
                u.close();
            }
        }
    }

    @Override
    public void close() {
        worker.submit(() -> {
            uploads.values().forEach(Upload::close);
            uploads.clear();
        });
        worker.shutdown();
    }

    /** One tarball being received into a file of its own; deleted once imported or dropped. */
    private static final class Upload implements AutoCloseable {
        final String id;
        final Path file;
        final OutputStream out;
        final MessageDigest digest;
        long received;
        long lastPieceMillis;

        Upload(Path dir, String id) throws IOException {
            this.id = id;
            Files.createDirectories(dir);
            this.file = dir.resolve(id + ".tar");
            this.out = Files.newOutputStream(file);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void append(byte[] data, long nowMillis) throws IOException {
            out.write(data);
            digest.update(data);
            received += data.length;
            lastPieceMillis = nowMillis;
        }

        String sha256() throws IOException {
            out.flush();
            return HexFormat.of().formatHex(digest.digest());
        }

        @Override
        public void close() {
            try {
                out.close();
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover file in the upload dir is harmless; the next peer start removes it
            }
        }
    }
}
