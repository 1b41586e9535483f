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

/**
 * Real peer processes for integration tests: init, joins, kills and restarts. By default every
 * peer listens on 127.0.0.1; with a {@link SiteNetwork} each site's peers run inside that site's
 * network namespace on its address (see {@link NetnsTestbed}).
 */
public final class LocalCluster implements AutoCloseable {
    public static final long START_TIMEOUT_MILLIS = 120_000;

    /** Where the peers of a site listen and how their processes are started. */
    public interface SiteNetwork {
        String host(String site);

        /** Command prefix that puts a process into the site's network, e.g. {@code ip netns exec NS}. */
        List<String> prefix(String site);

        /** A port nobody listens on at {@link #host}. */
        int freePort(String site) throws IOException;
    }

    /** Every site on the loopback interface of this machine. */
    public static final SiteNetwork LOOPBACK = new SiteNetwork() {
        @Override
        public String host(String site) {
            return "127.0.0.1";
        }

        @Override
        public List<String> prefix(String site) {
            return List.of();
        }

        @Override
        public int freePort(String site) throws IOException {
            return LocalCluster.freePort();
        }
    };

    private final Path root;
    private final SiteNetwork network;
    private final Map<String, PeerProcess> peers = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> sites = new LinkedHashMap<>();
    private final Map<String, Integer> apiPorts = new LinkedHashMap<>();
    private String token;
    private String bootstrap;

    public LocalCluster(Path root) {
        this(root, LOOPBACK);
    }

    public LocalCluster(Path root, SiteNetwork network) {
        this.root = root;
        this.network = network;
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
        return network.host(sites.get(name)) + ":" + ports.get(name);
    }

    public String site(String name) {
        return sites.get(name);
    }

    /**
     * The layout most process tests share: super-peers a-super (first) and b-super that run no
     * pods, each serving the API on a free loopback port ({@link #apiPort}), and edge peers on the
     * process runtime named SITE-..., e.g. "a-edge1", with {@code cpu} and {@code memoryMiB}.
     */
    public void twoSites(String cpu, int memoryMiB, String... edges) throws Exception {
        for (String superPeer : List.of("a-super", "b-super")) {
            int api = freePort();
            apiPorts.put(superPeer, api);
            String site = superPeer.substring(0, 1);
            if (superPeer.equals("a-super")) {
                init(superPeer, site, "--runtime", "none", "--api", "127.0.0.1:" + api);
            } else {
                join(superPeer, site, true, "--runtime", "none", "--api", "127.0.0.1:" + api);
            }
        }
        for (String edge : edges) {
            join(edge, edge.substring(0, edge.indexOf('-')), false, "--runtime", "process", "--cpu", cpu,
                    "--memory", Integer.toString(memoryMiB));
        }
    }

    /** The API port of a super-peer started by {@link #twoSites}. */
    public int apiPort(String superPeer) {
        return apiPorts.get(superPeer);
    }

    /** Starts the first super-peer of a new cluster. Extra args go to {@code starling init}. */
    public PeerProcess init(String name, String site, String... extra) throws Exception {
        int port = network.freePort(site);
        List<String> args = new ArrayList<>(List.of("init", "--site", site, "--listen", network.host(site) + ":" + port,
                "--data-dir", dataDir(name).toString(), "--node-name", name));
        args.addAll(List.of(extra));
        PeerProcess p = start(name, site, port, args);
        p.awaitOutput("peer ready", START_TIMEOUT_MILLIS);
        token = Files.readString(dataDir(name).resolve("join-token"), StandardCharsets.UTF_8).trim();
        bootstrap = network.host(site) + ":" + port;
        return p;
    }

    /** Joins a new peer through the first one. */
    public PeerProcess join(String name, String site, boolean superPeer, String... extra) throws Exception {
        int port = network.freePort(site);
        List<String> args = new ArrayList<>(List.of("peer", "--site", site, "--bootstrap", bootstrap, "--token", token,
                "--listen", network.host(site) + ":" + port, "--data-dir", dataDir(name).toString(), "--node-name", name));
        if (superPeer) {
            args.add("--super");
        }
        args.addAll(List.of(extra));
        PeerProcess p = start(name, site, port, args);
        p.awaitOutput("peer ready", START_TIMEOUT_MILLIS);
        return p;
    }

    private PeerProcess start(String name, String site, int port, List<String> args) throws IOException {
        PeerProcess p = new PeerProcess(name, root, network.prefix(site), args).start();
        peers.put(name, p);
        ports.put(name, port);
        sites.put(name, site);
        return p;
    }

    /** Restarts a stopped peer from its data dir alone. */
    public PeerProcess restart(String name) throws Exception {
        PeerProcess old = peers.get(name);
        if (old != null) {
            old.close();
        }
        PeerProcess p = new PeerProcess(name + "-r" + System.nanoTime() % 1000, root, network.prefix(sites.get(name)),
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

    /** Runs a one-shot CLI command inside {@code site}'s network (e.g. to reach its super-peers' APIs). */
    public Result cliIn(String site, String... args) throws Exception {
        String name = "cli-" + System.nanoTime();
        PeerProcess p = new PeerProcess(name, root, network.prefix(site), List.of(args)).start();
        int code = p.waitFor(60_000);
        return new Result(code, p.output());
    }

    public record Result(int exitCode, String output) {}

    /** A kubectl for the API on 127.0.0.1:{@code apiPort}, with a kubeconfig made by {@code starling kubeconfig}. */
    public Kubectl kubectl(int apiPort) throws Exception {
        return kubectl("127.0.0.1", apiPort, List.of());
    }

    /** A kubectl that runs inside {@code site}'s network, for the API at the site's host and {@code apiPort}. */
    public Kubectl kubectl(String site, int apiPort) throws Exception {
        return kubectl(network.host(site), apiPort, network.prefix(site));
    }

    private Kubectl kubectl(String host, int apiPort, List<String> prefix) throws Exception {
        Result kc = cli("kubeconfig", "--server", host + ":" + apiPort, "--credentials", adminCredentials().toString());
        if (kc.exitCode() != 0) {
            throw new IllegalStateException("starling kubeconfig failed: " + kc.output());
        }
        Path file = root.resolve("kubeconfig-" + host + "-" + apiPort);
        Files.writeString(file, kc.output().substring(kc.output().indexOf("apiVersion:")), StandardCharsets.UTF_8);
        return new Kubectl(file, null, prefix);
    }

    @Override
    public void close() throws Exception {
        for (PeerProcess p : peers.values()) {
            p.close();
        }
    }
}
