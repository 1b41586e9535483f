package io.starling.benchmarks.cluster;

import io.starling.core.security.Pem;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The parts of a kubeconfig written by {@code starling up} that a client needs: each cluster's
 * server URL, the CA, and the client certificate and key, turned into an {@link SSLContext}. Reads
 * only the flat layout starling writes (one user, base64 "-data" fields), not general YAML.
 */
public final class KubeconfigTls {
    private final Map<String, String> servers;
    private final X509Certificate ca;
    private final X509Certificate clientCert;
    private final PrivateKey clientKey;

    private KubeconfigTls(Map<String, String> servers, X509Certificate ca, X509Certificate clientCert, PrivateKey clientKey) {
        this.servers = servers;
        this.ca = ca;
        this.clientCert = clientCert;
        this.clientKey = clientKey;
    }

    public static KubeconfigTls parse(String yaml) {
        Map<String, String> servers = new LinkedHashMap<>();
        String section = "";
        String name = null;
        String caData = null;
        String certData = null;
        String keyData = null;
        for (String raw : yaml.split("\n")) {
            String line = raw.strip();
            if (!raw.startsWith(" ") && !raw.startsWith("-") && line.endsWith(":")) {
                section = line.substring(0, line.length() - 1);
            } else if (line.startsWith("- name:")) {
                name = line.substring("- name:".length()).strip();
            } else if (line.startsWith("server:") && section.equals("clusters") && name != null) {
                servers.put(name, line.substring("server:".length()).strip());
            } else if (line.startsWith("certificate-authority-data:")) {
                caData = value(line);
            } else if (line.startsWith("client-certificate-data:")) {
                certData = value(line);
            } else if (line.startsWith("client-key-data:")) {
                keyData = value(line);
            }
        }
        if (servers.isEmpty() || caData == null || certData == null || keyData == null) {
            throw new IllegalArgumentException("kubeconfig lacks a server, certificate-authority-data, "
                    + "client-certificate-data or client-key-data");
        }
        return new KubeconfigTls(servers, Pem.certificate(decode(caData)), Pem.certificate(decode(certData)),
                Pem.privateKey(decode(keyData)));
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).strip();
    }

    private static String decode(String b64) {
        try {
            return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kubeconfig: bad base64 data");
        }
    }

    /** Context/cluster name -> https://HOST:PORT, in file order. */
    public Map<String, String> servers() {
        return Map.copyOf(servers);
    }

    public String server(String cluster) {
        String s = servers.get(cluster);
        if (s == null) {
            throw new IllegalArgumentException("kubeconfig has no cluster " + cluster + " (has " + servers.keySet() + ")");
        }
        return s;
    }

    public X509Certificate clientCertificate() {
        return clientCert;
    }

    /** TLS presenting the client certificate and trusting only the cluster CA. */
    public SSLContext sslContext() throws Exception {
        char[] pw = "bench".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", clientKey, pw, new Certificate[] {clientCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
