package io.starling.benchmarks.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.starling.core.security.ClusterCa;
import io.starling.core.security.Pem;
import io.starling.core.time.SystemClock;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeconfigTlsTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The layout `starling up` writes: one cluster per super-peer, one certificate user. */
    private static String kubeconfig(ClusterCa ca, ClusterCa.IssuedCertificate user) {
        String caData = b64(Pem.certificate(ca.certificate()));
        return "apiVersion: v1\nkind: Config\nclusters:\n"
                + "- name: starling-a-super\n  cluster:\n    server: https://127.0.0.1:6443\n    certificate-authority-data: " + caData + "\n"
                + "- name: starling-b-super\n  cluster:\n    server: https://127.0.0.1:6444\n    certificate-authority-data: " + caData + "\n"
                + "users:\n- name: admin\n  user:\n    client-certificate-data: " + b64(Pem.certificate(user.certificate()))
                + "\n    client-key-data: " + b64(Pem.privateKey(user.privateKey())) + "\n"
                + "contexts:\n- name: starling-a-super\n  context:\n    cluster: starling-a-super\n    user: admin\n"
                + "current-context: starling-a-super\n";
    }

    @Test
    void readsServersAndClientCertificateAndBuildsTls() throws Exception {
        ClusterCa ca = ClusterCa.create("t", SystemClock.INSTANCE);
        ClusterCa.IssuedCertificate user = ca.issueClientCertificate("admin", List.of("system:masters"));
        KubeconfigTls k = KubeconfigTls.parse(kubeconfig(ca, user));
        assertEquals(Map.of("starling-a-super", "https://127.0.0.1:6443", "starling-b-super", "https://127.0.0.1:6444"),
                k.servers());
        assertEquals("https://127.0.0.1:6444", k.server("starling-b-super"));
        assertEquals(user.certificate(), k.clientCertificate());
        assertNotNull(k.sslContext().createSSLEngine());
        assertThrows(IllegalArgumentException.class, () -> k.server("starling-z-super"));
    }

    @Test
    void incompleteOrCorruptKubeconfigIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> KubeconfigTls.parse("apiVersion: v1\n"));
        assertThrows(IllegalArgumentException.class, () -> KubeconfigTls.parse(
                "clusters:\n- name: x\n  cluster:\n    server: https://h:1\n    certificate-authority-data: !!!\n"
                        + "users:\n- name: u\n  user:\n    client-certificate-data: !!!\n    client-key-data: !!!\n"));
    }
}
