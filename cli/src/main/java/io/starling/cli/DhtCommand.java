package io.starling.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.cli.peer.AdminMessages.GetRequest;
import io.starling.cli.peer.AdminMessages.LookupReply;
import io.starling.cli.peer.AdminMessages.LookupRequest;
import io.starling.cli.peer.AdminMessages.PeersReply;
import io.starling.cli.peer.AdminMessages.PeersRequest;
import io.starling.cli.peer.AdminMessages.PutRequest;
import io.starling.cli.peer.AdminMessages.RecordReply;
import io.starling.core.net.Contact;
import io.starling.core.net.PeerAddress;
import io.starling.dht.kube.KubeJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code starling dht peers|put|get|lookup}: operator commands against one super-peer. */
@Command(name = "dht", mixinStandardHelpOptions = true, description = "Inspect and use the DHT through one super-peer.",
        subcommands = {DhtCommand.Peers.class, DhtCommand.Put.class, DhtCommand.Get.class, DhtCommand.Lookup.class})
final class DhtCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--peer", required = true, description = "HOST:PORT of a super-peer's transport")
        String peer;

        @Option(names = "--credentials", description = "operator credentials dir (default: the local cluster's admin/)")
        Path credentials;

        @Option(names = "-o", description = "output format: text (default) or json")
        String output = "text";

        boolean json() {
            if (!output.equals("json") && !output.equals("text")) {
                throw new IllegalArgumentException("-o must be text or json");
            }
            return output.equals("json");
        }

        AdminClient client() {
            return new AdminClient(credentials != null ? credentials : AdminClient.defaultCredentials());
        }

        static ObjectNode contactJson(Contact c) {
            ObjectNode n = KubeJson.MAPPER.createObjectNode();
            n.put("id", c.id().toHex());
            n.put("address", c.address().toString());
            n.put("site", c.site());
            n.put("role", c.superPeer() ? "super" : "edge");
            return n;
        }

        static void printJson(Object node) throws Exception {
            System.out.println(KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        }
    }

    @Command(name = "peers", description = "List the super-peers in a peer's routing table.")
    static final class Peers extends Base {
        @Override
        public Integer call() throws Exception {
            boolean json = json();
            try (AdminClient c = client()) {
                PeersReply r = (PeersReply) c.call(PeerAddress.parse(peer), new PeersRequest());
                if (json) {
                    ObjectNode n = KubeJson.MAPPER.createObjectNode();
                    n.set("self", contactJson(r.self()));
                    ArrayNode a = n.putArray("peers");
                    r.routingTable().forEach(x -> a.add(contactJson(x)));
                    printJson(n);
                } else {
                    System.out.printf("%-42s %-22s %-12s %s%n", "ID", "ADDRESS", "SITE", "ROLE");
                    print(r.self(), " (this peer)");
                    r.routingTable().forEach(x -> print(x, ""));
                }
            }
            return 0;
        }

        private static void print(Contact c, String note) {
            System.out.printf("%-42s %-22s %-12s %s%s%n", c.id().toHex(), c.address(), c.site(),
                    c.superPeer() ? "super" : "edge", note);
        }
    }

    @Command(name = "put", description = "Store a value under KEY (replicated to the closest super-peers).")
    static final class Put extends Base {
        @Parameters(index = "0", description = "key")
        String key;

        @Parameters(index = "1", description = "value (text)")
        String value;

        @Option(names = "--ttl-seconds", description = "expire after this many seconds (default: never)")
        long ttlSeconds;

        @Override
        public Integer call() throws Exception {
            boolean json = json();
            try (AdminClient c = client()) {
                RecordReply r = (RecordReply) c.call(PeerAddress.parse(peer),
                        new PutRequest(key, value.getBytes(StandardCharsets.UTF_8), ttlSeconds * 1000));
                printRecord(r, json);
            }
            return 0;
        }
    }

    @Command(name = "get", description = "Read the value under KEY from its replicas.")
    static final class Get extends Base {
        @Parameters(index = "0", description = "key")
        String key;

        @Override
        public Integer call() throws Exception {
            boolean json = json();
            try (AdminClient c = client()) {
                RecordReply r = (RecordReply) c.call(PeerAddress.parse(peer), new GetRequest(key));
                if (!r.found()) {
                    System.err.println("starling: key '" + key + "' not found");
                    return 1;
                }
                printRecord(r, json);
            }
            return 0;
        }
    }

    @Command(name = "lookup", description = "Find the super-peers closest to KEY (or to --id) and count the hops.")
    static final class Lookup extends Base {
        @Parameters(index = "0", arity = "0..1", description = "key (hashed with SHA-1)")
        String key;

        @Option(names = "--id", description = "a 40-hex-digit node id / key instead")
        String id;

        @Override
        public Integer call() throws Exception {
            boolean json = json();
            if ((key == null) == (id == null)) {
                throw new IllegalArgumentException("give either KEY or --id");
            }
            try (AdminClient c = client()) {
                LookupReply r = (LookupReply) c.call(PeerAddress.parse(peer), new LookupRequest(id, key));
                if (json) {
                    ObjectNode n = KubeJson.MAPPER.createObjectNode();
                    n.put("target", r.target());
                    n.put("hops", r.hops());
                    n.put("queried", r.queried());
                    ArrayNode a = n.putArray("closest");
                    r.closest().forEach(x -> a.add(contactJson(x)));
                    printJson(n);
                } else {
                    System.out.println("target " + r.target() + ": " + r.hops() + " hops, " + r.queried() + " peers queried");
                    for (Contact x : r.closest()) {
                        System.out.printf("  %s %-22s %s%n", x.id().toHex(), x.address(), x.site());
                    }
                }
            }
            return 0;
        }
    }

    static void printRecord(RecordReply r, boolean json) throws Exception {
        String value = new String(r.value(), StandardCharsets.UTF_8);
        if (json) {
            ObjectNode n = KubeJson.MAPPER.createObjectNode();
            n.put("key", r.name());
            n.put("value", value);
            n.put("revision", r.revision());
            n.put("writer", r.writer());
            n.put("homeSite", r.homeSite());
            ArrayNode a = n.putArray("replicas");
            r.holders().forEach(x -> a.add(Base.contactJson(x)));
            Base.printJson(n);
        } else {
            System.out.println(r.name() + " = " + value);
            System.out.println("  revision " + r.revision() + ", written by " + r.writer().substring(0, 8) + " (site "
                    + r.homeSite() + "), replicas: " + String.join(", ",
                    r.holders().stream().map(h -> h.id().shortHex() + "@" + h.address()).toList()));
        }
    }
}
