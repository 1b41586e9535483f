package io.starling.cli.peer;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The files of a peer's data directory:
 * <pre>
 *   credentials/      identity key, peer certificate, CA (and, on super-peers, CA key + token hash)
 *   peer.properties   the settings the peer was first started with (a restart needs only --data-dir)
 *   contacts          peers known at the last start (one per line: id address site role)
 *   store/            DHT records (MVStore)
 *   join-token        the join token (first super-peer only; secret, mode 0600)
 *   admin/            operator credentials for the starling CLI (first super-peer only)
 *   agent/            node agent state (pods, volumes, logs)
 * </pre>
 */
public final class DataDir {
    private final Path root;

    public DataDir(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path credentials() {
        return root.resolve("credentials");
    }

    public Path admin() {
        return root.resolve("admin");
    }

    public Path joinTokenFile() {
        return root.resolve("join-token");
    }

    public Path agent() {
        return root.resolve("agent");
    }

    public void create() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + root + ": " + e.getMessage(), e);
        }
    }

    public void writeSecret(Path file, String text) {
        try {
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system: best effort
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Properties loadSettings() {
        Properties p = new Properties();
        Path f = root.resolve("peer.properties");
        if (Files.exists(f)) {
            try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    public void saveSettings(Properties p) {
        try {
            Files.writeString(root.resolve("peer.properties"),
                    propertiesText(p, "starling peer settings (edit with care; flags given on the command line win)"),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code p} in the format {@link Properties#load(java.io.Reader)} reads, keys sorted. Not
     * {@link Properties#store}: its date comment ({@code Date.toString()}) loads the time-zone name
     * tables, ~250 classes and ~0.7 MiB of heap that an edge peer would keep for nothing.
     */
    static String propertiesText(Properties p, String comment) {
        StringBuilder b = new StringBuilder("#").append(comment).append('\n');
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            escape(key, true, b);
            b.append('=');
            escape(p.getProperty(key), false, b);
            b.append('\n');
        }
        return b.toString();
    }

    private static void escape(String text, boolean key, StringBuilder b) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\f' -> b.append("\\f");
                case '\\', '=', ':', '#', '!' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
    }

    public List<Contact> loadContacts() {
        Path f = root.resolve("contacts");
        List<Contact> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 4) {
                    try {
                        out.add(new Contact(NodeId.fromHex(p[0]), PeerAddress.parse(p[1]), p[2], "super".equals(p[3])));
                    } catch (IllegalArgumentException skip) {
                        // a damaged line loses one hint, not the peer
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public void saveContacts(List<Contact> contacts) {
        StringBuilder sb = new StringBuilder();
        for (Contact c : contacts) {
            sb.append(c.id().toHex()).append(' ').append(c.address()).append(' ').append(c.site()).append(' ')
                    .append(c.superPeer() ? "super" : "edge").append('\n');
        }
        try {
            Files.writeString(root.resolve("contacts"), sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
