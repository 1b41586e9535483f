package io.starling.cli.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real peer processes on 127.0.0.1 for integration tests: init, joins, kills and restarts. */
public final class LocalCluster implements AutoCloseable {
    public static final long START_TIMEOUT_MILLIS = 120_000;

    private final Path root;
    private final Map<String, PeerProcess> peers = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private String token;
    private String bootstrap;

    public LocalCluster(Path root) {
        this.root = root;
    }

    public Path dataDir(String name) {
        return root.resolve(name);
    }

    public Path adminCredentials() {
        return root.resolve(first()).resolve("admin");
    }

    private String first() {
        return peers.keySet().iterator().next();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port(String name) {
        return ports.get(name);
    }

    public String address(String name) {
        return "127.0.0.1:" + ports.get(name);
    }

    /** Starts the first super-peer of a new cluster. Extra args go to {@code starling init}. */
    public PeerProcess init(String name, String site, String... extra) throws Exception {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("init", "--site", site, "--listen", "127.0.0.1:" + port,
                "--data-dir", dataDir(name).toString(), "--node-name", name));
        args.addAll(List.of(extra));
        PeerProcess p = new PeerProcess(name, root, args).start();
        peers.put(name, p);
        ports.put(name, port);
        p.awaitOutput("peer ready", START_TIMEOUT_MILLIS);
        token = Files.readString(dataDir(name).resolve("join-token"), StandardCharsets.UTF_8).trim();
        bootstrap = "127.0.0.1:" + port;
        return p;
    }

    /** Joins a new peer through the first one. */
    public PeerProcess join(String name, String site, boolean superPeer, String... extra) throws Exception {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("peer", "--site", site, "--bootstrap", bootstrap, "--token", token,
                "--listen", "127.0.0.1:" + port, "--data-dir", dataDir(name).toString(), "--node-name", name));
        if (superPeer) {
            args.add("--super");
        }
        args.addAll(List.of(extra));
        PeerProcess p = new PeerProcess(name, root, args).start();
        peers.put(name, p);
        ports.put(name, port);
        p.awaitOutput("peer ready", START_TIMEOUT_MILLIS);
        return p;
    }

    /** Restarts a stopped peer from its data dir alone. */
    public PeerProcess restart(String name) throws Exception {
        PeerProcess old = peers.get(name);
        if (old != null) {
            old.close();
        }
        PeerProcess p = new PeerProcess(name + "-r" + System.nanoTime() % 1000, root,
                List.of("peer", "--data-dir", dataDir(name).toString())).start();
        peers.put(name, p);
        p.awaitOutput("peer ready", START_TIMEOUT_MILLIS);
        return p;
    }

    public PeerProcess peer(String name) {
        return peers.get(name);
    }

    public String token() {
        return token;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public List<String> names() {
        return List.copyOf(peers.keySet());
    }

    /** Runs a one-shot CLI command ({@code starling ARGS}); returns exit code and output. */
    public Result cli(String... args) throws Exception {
        String name = "cli-" + System.nanoTime();
        PeerProcess p = new PeerProcess(name, root, List.of(args)).start();
        int code = p.waitFor(60_000);
        return new Result(code, p.output());
    }

    public record Result(int exitCode, String output) {}

    /** A kubectl for the API on {@code apiPort}, with a kubeconfig made by {@code starling kubeconfig}. */
    public Kubectl kubectl(int apiPort) throws Exception {
        Result kc = cli("kubeconfig", "--server", "127.0.0.1:" + apiPort, "--credentials", adminCredentials().toString());
        if (kc.exitCode() != 0) {
            throw new IllegalStateException("starling kubeconfig failed: " + kc.output());
        }
        Path file = root.resolve("kubeconfig-" + apiPort);
        Files.writeString(file, kc.output().substring(kc.output().indexOf("apiVersion:")), StandardCharsets.UTF_8);
        return new Kubectl(file, null);
    }

    @Override
    public void close() throws Exception {
        for (PeerProcess p : peers.values()) {
            p.close();
        }
    }
}
