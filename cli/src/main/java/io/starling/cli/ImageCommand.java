package io.starling.cli;

import io.starling.cli.peer.AdminMessages.ImageChunk;
import io.starling.cli.peer.AdminMessages.ImageChunkAck;
import io.starling.cli.peer.AdminMessages.ImageImported;
import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.runtime.containerd.TestImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code starling image build|import}: there is no registry on an edge site, so images travel as
 * OCI/Docker tarballs into each node's containerd.
 */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Build the busybox test image, or import an image tarball into a peer's container runtime.",
        subcommands = {ImageCommand.Import.class, ImageCommand.Build.class})
final class ImageCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalArgumentException("use 'starling image import FILE --peer HOST:PORT' or 'starling image build --out FILE'");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Send an OCI or Docker image tarball to a peer; its node agent imports it into containerd "
                    + "(pods then use it with imagePullPolicy Never or IfNotPresent).")
    static final class Import implements Callable<Integer> {
        /** Below the transport's 4 MiB frame limit, with room for the envelope. */
        static final int PIECE_BYTES = 1 << 20;
        /** The last piece waits for containerd to unpack the image. */
        static final long IMPORT_TIMEOUT_MILLIS = 120_000;

        @Parameters(index = "0", paramLabel = "FILE", description = "image tarball (e.g. from 'docker save' or 'starling image build')")
        Path file;

        @Option(names = "--peer", required = true, description = "HOST:PORT of the peer's transport (as 'starling up' lists them)")
        String peer;

        @Option(names = "--credentials", description = "operator credentials dir (default: the local cluster's admin/)")
        Path credentials;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file);
            }
            PeerAddress to = PeerAddress.parse(peer);
            String digest = sha256(file);
            String upload = UUID.randomUUID().toString();
            long t0 = System.nanoTime();
            try (AdminClient c = new AdminClient(credentials != null ? credentials : AdminClient.defaultCredentials());
                 InputStream in = Files.newInputStream(file)) {
                long offset = 0;
                byte[] buf = new byte[PIECE_BYTES];
                while (true) {
                    int n = in.readNBytes(buf, 0, buf.length);
                    boolean last = n < buf.length;
                    byte[] piece = n == buf.length ? buf.clone() : Arrays.copyOf(buf, n);
                    Message reply = c.call(to, new ImageChunk(upload, offset, piece, last, last ? digest : null),
                            last ? IMPORT_TIMEOUT_MILLIS : AdminClient.TIMEOUT_MILLIS);
                    offset += n;
                    if (last) {
                        ImageImported done = (ImageImported) reply;
                        System.out.printf(Locale.ROOT, "imported %s into %s (%.1f MiB in %.1f s)%n",
                                done.names().isEmpty() ? "(no named image)" : String.join(", ", done.names()), peer,
                                done.bytes() / 1048576.0, (System.nanoTime() - t0) / 1e9);
                        return 0;
                    }
                    if (((ImageChunkAck) reply).received() != offset) {
                        throw new IllegalStateException("peer received " + ((ImageChunkAck) reply).received()
                                + " bytes, sent " + offset);
                    }
                }
            }
        }

        private static String sha256(Path f) throws Exception {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Write a tiny OCI image tarball made from Debian's busybox-static (no registry needed).")
    static final class Build implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "tarball to write")
        Path out;

        @Option(names = "--name", description = "image name with tag (default: both test images, "
                + TestImage.BUSYBOX + " and " + TestImage.PAUSE + ")")
        String name;

        @Option(names = "--command", defaultValue = "sh", description = "default command of the image (default: ${DEFAULT-VALUE})")
        String command;

        @Option(names = "--busybox", description = "statically linked busybox binary (default: /bin/busybox from busybox-static)")
        Path busybox = TestImage.DEFAULT_BUSYBOX;

        @Override
        public Integer call() throws IOException {
            Path written = name == null ? TestImage.build(busybox, out) : TestImage.build(busybox, out, name, command);
            System.out.printf(Locale.ROOT, "wrote %s (%s, %.1f MiB)%n", written,
                    name == null ? TestImage.BUSYBOX + ", " + TestImage.PAUSE : name, Files.size(written) / 1048576.0);
            return 0;
        }
    }
}
