package io.starling.cli;

import io.starling.cli.peer.DataDir;
import io.starling.cli.peer.PeerSettings;
import io.starling.core.net.PeerAddress;
import io.starling.gateway.ipam.ServiceCidr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Options shared by {@code init} and {@code peer}; unset ones fall back to the data dir's saved settings. */
final class PeerOptions {
    @Option(names = "--site", description = "site of this peer (a DNS label)")
    String site;

    @Option(names = "--listen", description = "HOST:PORT of the peer transport (default 127.0.0.1:7100)")
    String listen;

    @Option(names = "--advertise", description = "HOST:PORT other peers use (default: --listen)")
    String advertise;

    @Option(names = "--data-dir", required = true, description = "directory for credentials, records and pod state")
    Path dataDir;

    @Option(names = "--api", description = "HOST:PORT of the Kubernetes API (super-peers; default: listen host, port 6443)")
    String api;

    @Option(names = "--runtime", description = "node agent backend: process, containerd or none (default process)")
    String runtime;

    @Option(names = "--agent-port", description = "port of the node agent's kubelet-style API (default: ephemeral)")
    Integer agentPort;

    @Option(names = "--node-name", description = "name of this peer's Node (default: <site>-<id prefix>)")
    String nodeName;

    @Option(names = "--cpu", description = "allocatable CPU, e.g. 2 or 500m (default 2)")
    String cpu;

    @Option(names = "--memory", description = "allocatable memory in MiB (default 2048)")
    Long memoryMiB;

    @Option(names = "--pods", description = "allocatable pods (default 110)")
    Integer pods;

    @Option(names = "--containerd-socket", description = "CRI socket of an existing containerd (default: start a private one)")
    String containerdSocket;

    @Option(names = "--service-cidr", description = "IPv4 range of Service ClusterIPs (super-peers; default "
            + ServiceCidr.DEFAULT + ", a loopback block: pods share the host network); the same on every super-peer")
    String serviceCidr;

    /** Test-only (benchmarks): not saved, so a restart without the flag runs without delay. */
    @Option(names = "--inject-wan-delay-ms", hidden = true,
            description = "TEST ONLY: add this RTT (ms) to every message exchanged with peers of other sites")
    long injectWanDelayMillis;

    /** Merges flags over saved settings, saves the result, and returns it. */
    PeerSettings resolve(DataDir dir, boolean superPeer, List<PeerAddress> bootstrap, String defaultNodeName) {
        Properties saved = dir.loadSettings();
        String s = pick(site, saved, "site", null);
        if (s == null) {
            throw new IllegalArgumentException("--site is required on first start");
        }
        PeerAddress l = PeerAddress.parse(pick(listen, saved, "listen", "127.0.0.1:7100"));
        PeerAddress adv = PeerAddress.parse(pick(advertise, saved, "advertise", l.toString()));
        boolean sup = Boolean.parseBoolean(pick(superPeer ? "true" : null, saved, "super", "false"));
        String apiText = pick(api, saved, "api", sup ? l.host() + ":6443" : "");
        String rt = pick(runtime, saved, "runtime", "process");
        if (!List.of("process", "containerd", "none").contains(rt)) {
            throw new IllegalArgumentException("--runtime must be process, containerd or none, got '" + rt + "'");
        }
        int ap = Integer.parseInt(pick(agentPort == null ? null : agentPort.toString(), saved, "agentPort", "0"));
        String node = pick(nodeName, saved, "nodeName", defaultNodeName);
        long cpuMillis = parseCpu(pick(cpu, saved, "cpu", "2"));
        long mem = Long.parseLong(pick(memoryMiB == null ? null : memoryMiB.toString(), saved, "memoryMiB", "2048"));
        int maxPods = Integer.parseInt(pick(pods == null ? null : pods.toString(), saved, "pods", "110"));
        String sock = pick(containerdSocket, saved, "containerdSocket", "");
        String cidr = ServiceCidr.parse(pick(serviceCidr, saved, "serviceCidr", ServiceCidr.DEFAULT)).toString();
        List<PeerAddress> boot = new ArrayList<>(bootstrap);
        if (boot.isEmpty() && !saved.getProperty("bootstrap", "").isEmpty()) {
            for (String b : saved.getProperty("bootstrap").split(",")) {
                boot.add(PeerAddress.parse(b));
            }
        }
        Properties out = new Properties();
        out.setProperty("site", s);
        out.setProperty("listen", l.toString());
        out.setProperty("advertise", adv.toString());
        out.setProperty("super", Boolean.toString(sup));
        out.setProperty("api", apiText);
        out.setProperty("runtime", rt);
        out.setProperty("agentPort", Integer.toString(ap));
        out.setProperty("nodeName", node);
        out.setProperty("cpu", cpuMillis + "m");
        out.setProperty("memoryMiB", Long.toString(mem));
        out.setProperty("pods", Integer.toString(maxPods));
        out.setProperty("containerdSocket", sock);
        out.setProperty("serviceCidr", cidr);
        out.setProperty("bootstrap", String.join(",", boot.stream().map(PeerAddress::toString).toList()));
        dir.saveSettings(out);
        return new PeerSettings(s, sup, l, adv, dir.root(), boot, apiText.isEmpty() ? null : PeerAddress.parse(apiText),
                rt, ap, node, cpuMillis, mem, maxPods, sock.isEmpty() ? null : sock, injectWanDelayMillis, cidr);
    }

    private static String pick(String flag, Properties saved, String key, String dflt) {
        if (flag != null) {
            return flag;
        }
        return saved.getProperty(key, dflt);
    }

    static long parseCpu(String text) {
        try {
            if (text.endsWith("m")) {
                return Long.parseLong(text.substring(0, text.length() - 1));
            }
            return Math.round(Double.parseDouble(text) * 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cpu must be cores (2, 0.5) or millicores (500m), got '" + text + "'");
        }
    }
}
