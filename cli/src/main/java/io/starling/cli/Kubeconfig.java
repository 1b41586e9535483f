package io.starling.cli;

import io.starling.core.security.ClusterCa;
import io.starling.core.security.Pem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes kubeconfig files: one cluster and context per super-peer, one user (client certificate or bearer token). */
final class Kubeconfig {
    private Kubeconfig() {}

    /**
     * @param servers context name -> HOST:PORT of a super-peer's API (first one is the current context)
     */
    static String render(ClusterCa ca, String user, List<String> groups, Map<String, String> servers) {
        ClusterCa.IssuedCertificate cred = ca.issueClientCertificate(user, groups);
        String caData = b64(Pem.certificate(ca.certificate()));
        StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        for (Map.Entry<String, String> e : servers.entrySet()) {
            y.append("- name: ").append(e.getKey()).append("\n  cluster:\n    server: https://").append(e.getValue())
                    .append("\n    certificate-authority-data: ").append(caData).append('\n');
        }
        y.append("users:\n- name: ").append(user).append("\n  user:\n    client-certificate-data: ")
                .append(b64(Pem.certificate(cred.certificate()))).append("\n    client-key-data: ")
                .append(b64(Pem.privateKey(cred.privateKey()))).append('\n');
        y.append("contexts:\n");
        for (String name : servers.keySet()) {
            y.append("- name: ").append(name).append("\n  context:\n    cluster: ").append(name).append("\n    user: ")
                    .append(user).append("\n    namespace: default\n");
        }
        y.append("current-context: ").append(servers.keySet().iterator().next()).append('\n');
        return y.toString();
    }

    /** Like {@link #render} but the user authenticates with a bearer token instead of a client certificate. */
    static String renderToken(ClusterCa ca, String user, String token, Map<String, String> servers) {
        String caData = b64(Pem.certificate(ca.certificate()));
        StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        for (Map.Entry<String, String> e : servers.entrySet()) {
            y.append("- name: ").append(e.getKey()).append("\n  cluster:\n    server: https://").append(e.getValue())
                    .append("\n    certificate-authority-data: ").append(caData).append('\n');
        }
        y.append("users:\n- name: ").append(user).append("\n  user:\n    token: ").append(token).append('\n');
        y.append("contexts:\n");
        for (String name : servers.keySet()) {
            y.append("- name: ").append(name).append("\n  context:\n    cluster: ").append(name).append("\n    user: ")
                    .append(user).append('\n');
        }
        y.append("current-context: ").append(servers.keySet().iterator().next()).append('\n');
        return y.toString();
    }

    static Map<String, String> single(String name, String server) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(name, server);
        return m;
    }

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }
}
