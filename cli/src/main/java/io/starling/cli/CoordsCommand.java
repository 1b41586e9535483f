package io.starling.cli;

import io.starling.cli.peer.AdminMessages.CoordsReply;
import io.starling.cli.peer.AdminMessages.CoordsRequest;
import io.starling.core.net.PeerAddress;
import io.starling.dht.kube.KubeJson;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code starling coords --peer HOST:PORT}: a super-peer's Vivaldi coordinates. */
@Command(name = "coords", mixinStandardHelpOptions = true,
        description = "Show a super-peer's Vivaldi network coordinates (edge peers publish theirs on their Node).")
final class CoordsCommand implements Callable<Integer> {
    @Option(names = "--peer", required = true, description = "HOST:PORT of a super-peer's transport")
    String peer;

    @Option(names = "--credentials", description = "operator credentials dir (default: the local cluster's admin/)")
    Path credentials;

    @Option(names = "-o", description = "output format: text (default) or json")
    String output = "text";

    @Override
    public Integer call() throws Exception {
        if (!output.equals("text") && !output.equals("json")) {
            throw new IllegalArgumentException("-o must be text or json");
        }
        try (AdminClient c = new AdminClient(credentials != null ? credentials : AdminClient.defaultCredentials())) {
            CoordsReply r = (CoordsReply) c.call(PeerAddress.parse(peer), new CoordsRequest());
            String[] xyhe = r.coordinates().split(",");
            if (output.equals("json")) {
                var n = KubeJson.MAPPER.createObjectNode();
                n.put("id", r.nodeId());
                n.put("x", Double.parseDouble(xyhe[0]));
                n.put("y", Double.parseDouble(xyhe[1]));
                n.put("height", Double.parseDouble(xyhe[2]));
                n.put("error", Double.parseDouble(xyhe[3]));
                n.put("samples", r.samples());
                n.put("neighbours", r.neighbours());
                System.out.println(KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n));
            } else {
                System.out.printf("peer %s: x=%s y=%s height=%s ms, error %s (%d samples, %d neighbours)%n",
                        r.nodeId().substring(0, 8), xyhe[0], xyhe[1], xyhe[2], xyhe[3], r.samples(), r.neighbours());
            }
        }
        return 0;
    }
}
