package io.starling.cli;

import io.starling.core.net.PeerAddress;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.PeerCredentials;
import io.starling.core.time.SystemClock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code starling kubeconfig --server HOST:PORT}: prints a kubeconfig for a super-peer's API. */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true,
        description = "Print a kubeconfig (cluster CA + a client certificate) for a super-peer's Kubernetes API.")
final class KubeconfigCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "HOST:PORT of a super-peer's API")
    String server;

    @Option(names = "--credentials", description = "credentials dir holding the cluster CA key (default: the local cluster's admin/)")
    Path credentials;

    @Option(names = "--user", description = "user name in the certificate (default admin)")
    String user = "admin";

    @Option(names = "--group", description = "groups in the certificate (default system:masters)")
    List<String> groups = List.of("system:masters");

    @Override
    public Integer call() {
        PeerAddress api = PeerAddress.parse(server);
        Path dir = credentials != null ? credentials : AdminClient.defaultCredentials();
        if (!PeerCredentials.existIn(dir)) {
            throw new IllegalArgumentException("no credentials in " + dir + " (use --credentials DIR)");
        }
        ClusterCa ca = PeerCredentials.load(dir).clusterCa(SystemClock.INSTANCE).orElseThrow(() ->
                new IllegalArgumentException(dir + " holds no cluster CA key; use a super-peer's or the admin credentials"));
        System.out.print(Kubeconfig.render(ca, user, groups, Kubeconfig.single("starling-" + api.host() + "-" + api.port(),
                api.toString())));
        return 0;
    }
}
