package io.starling.runtime.containerd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the project's tiny test image as an OCI image-layout tarball from a statically linked
 * busybox (Debian's busybox-static), so containerd can run real containers on a machine without
 * any registry. One layer ({@code bin/busybox} plus applet symlinks, {@code etc/passwd},
 * {@code tmp/}) is shared by two images:
 * <ul>
 *   <li>{@link #BUSYBOX} - default command {@code sh}; pods name it and give their own command;</li>
 *   <li>{@link #PAUSE} - default command {@code sleep 2147483647}; the CRI sandbox ("pause") image,
 *       which must keep running for the pod's lifetime.</li>
 * </ul>
 * The tar is written by hand (ustar headers) with fixed timestamps and owners, so the same busybox
 * binary always yields the same digests. Import it with
 * {@code ctr -a SOCKET -n k8s.io images import FILE}.
 */
public final class TestImage {
    public static final String BUSYBOX = "starling.io/busybox:1.0";
    public static final String PAUSE = "starling.io/pause:1.0";
    /** Where Debian's busybox-static installs the binary. */
    public static final Path DEFAULT_BUSYBOX = Path.of("/bin/busybox");

    static final List<String> APPLETS = List.of("sh", "ash", "sleep", "echo", "cat", "wget", "httpd", "ls", "mkdir",
            "rm", "touch", "env", "test", "[", "true", "false", "date", "nc", "ps", "kill", "id", "hostname", "grep",
            "seq", "printf", "head", "tail", "wc", "sed", "awk", "yes", "cp", "mv", "ln", "chmod", "pwd", "uname",
            "whoami", "expr", "tr", "cut", "sort", "uniq", "find", "xargs", "stat", "basename", "dirname", "mount",
            "ping", "ip", "ifconfig", "netstat", "nslookup", "vi", "tee", "timeout", "pidof", "killall", "dd", "du", "df");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private TestImage() {}

    /** Writes the tarball of both test images ({@link #BUSYBOX}, {@link #PAUSE}) to {@code out}. */
    public static Path build(Path busybox, Path out) throws IOException {
        return build(busybox, out, List.of(List.of(BUSYBOX, "sh"), List.of(PAUSE, "sleep 2147483647")));
    }

    /**
     * Writes a tarball of one busybox image named {@code name} (e.g. {@code example.org/tool:2})
     * whose default command is {@code command}, for {@code starling image build}.
     */
    public static Path build(Path busybox, Path out, String name, String command) throws IOException {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})")) {
            throw new IllegalArgumentException("image name must look like host/path:tag, got \"" + name + "\"");
        }
        return build(busybox, out, List.of(List.of(name, command)));
    }

    /** @param images pairs of (image name with tag, default command split at spaces) */
    private static Path build(Path busybox, Path out, List<List<String>> images) throws IOException {
        if (!Files.isRegularFile(busybox)) {
            throw new IOException("busybox binary not found at " + busybox + " (apt-get install busybox-static)");
        }
        byte[] layer = layerTar(Files.readAllBytes(busybox));
        String layerDigest = sha256(layer);

        TarWriter oci = new TarWriter();
        oci.dir("blobs/");
        oci.dir("blobs/sha256/");
        oci.file("blobs/sha256/" + hex(layerDigest), layer, 0644);
        ArrayNode manifests = JSON.createArrayNode();
        for (List<String> image : images) {
            String name = image.get(0);
            byte[] config = json(imageConfig(layerDigest, List.of(image.get(1).split(" "))));
            String configDigest = sha256(config);
            byte[] manifest = json(manifest(configDigest, config.length, layerDigest, layer.length));
            String manifestDigest = sha256(manifest);
            oci.file("blobs/sha256/" + hex(configDigest), config, 0644);
            oci.file("blobs/sha256/" + hex(manifestDigest), manifest, 0644);
            ObjectNode desc = manifests.addObject();
            desc.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            desc.put("digest", manifestDigest);
            desc.put("size", manifest.length);
            ObjectNode ann = desc.putObject("annotations");
            ann.put("io.containerd.image.name", name);
            ann.put("org.opencontainers.image.ref.name", name.substring(name.lastIndexOf(':') + 1));
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.set("manifests", manifests);
        oci.file("index.json", json(index), 0644);
        oci.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), 0644);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(out)) {
            os.write(oci.finish());
        }
        return out;
    }

    static byte[] layerTar(byte[] busybox) {
        TarWriter t = new TarWriter();
        for (String d : List.of("bin/", "etc/", "dev/", "proc/", "sys/", "root/", "var/", "usr/", "usr/bin/")) {
            t.dir(d);
        }
        t.dirWithMode("tmp/", 01777);
        t.file("bin/busybox", busybox, 0755);
        for (String applet : APPLETS) {
            t.symlink("bin/" + applet, "busybox");
        }
        t.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
                .getBytes(StandardCharsets.UTF_8), 0644);
        t.file("etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8), 0644);
        return t.finish();
    }

    private static ObjectNode imageConfig(String layerDigest, List<String> cmd) {
        ObjectNode c = JSON.createObjectNode();
        c.put("created", "2026-01-01T00:00:00Z");
        c.put("architecture", goArch());
        c.put("os", "linux");
        ObjectNode config = c.putObject("config");
        config.putArray("Env").add(PATH_ENV);
        ArrayNode cmdNode = config.putArray("Cmd");
        cmd.forEach(cmdNode::add);
        config.put("WorkingDir", "/");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(layerDigest);
        return c;
    }

    private static ObjectNode manifest(String configDigest, long configSize, String layerDigest, long layerSize) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        ObjectNode config = m.putObject("config");
        config.put("mediaType", "application/vnd.oci.image.config.v1+json");
        config.put("digest", configDigest);
        config.put("size", configSize);
        ObjectNode layer = m.putArray("layers").addObject();
        layer.put("mediaType", "application/vnd.oci.image.layer.v1.tar");
        layer.put("digest", layerDigest);
        layer.put("size", layerSize);
        return m;
    }

    static String goArch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            default -> arch;
        };
    }

    private static byte[] json(Object node) throws IOException {
        return JSON.writeValueAsBytes(node);
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }

    /** Minimal ustar writer: regular files, directories and symlinks, all owned by root, mtime 0. */
    static final class TarWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void dir(String name) {
            dirWithMode(name, 0755);
        }

        void dirWithMode(String name, int mode) {
            header(name, mode, 0, '5', "");
        }

        void file(String name, byte[] data, int mode) {
            header(name, mode, data.length, '0', "");
            out.writeBytes(data);
            pad(data.length);
        }

        void symlink(String name, String target) {
            header(name, 0777, 0, '2', target);
        }

        byte[] finish() {
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }

        private void pad(long size) {
            int rem = (int) (size % 512);
            if (rem != 0) {
                out.writeBytes(new byte[512 - rem]);
            }
        }

        private void header(String name, int mode, long size, char type, String link) {
            if (name.length() > 100 || link.length() > 100) {
                throw new IllegalArgumentException("tar name too long: " + name);
            }
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, octal(mode, 7));
            put(h, 108, 8, octal(0, 7));
            put(h, 116, 8, octal(0, 7));
            put(h, 124, 12, octal(size, 11));
            put(h, 136, 12, octal(0, 11));
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            h[156] = (byte) type;
            put(h, 157, 100, link);
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            put(h, 265, 32, "root");
            put(h, 297, 32, "root");
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, octal(sum, 6));
            h[155] = ' ';
            out.writeBytes(h);
        }

        private static String octal(long v, int digits) {
            String s = Long.toOctalString(v);
            return "0".repeat(Math.max(0, digits - s.length())) + s;
        }

        private static void put(byte[] h, int off, int len, String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, h, off, Math.min(len, b.length));
        }
    }
}
