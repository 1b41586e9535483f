package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.starling.runtime.backend.BackendException;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.backend.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * Runs one probe attempt: exec (exit code 0), httpGet (status 200-399), tcpSocket (connect).
 * Pods share the node's network, so the default host is the pod IP = node IP. Blocking, bounded
 * by the probe's timeoutSeconds; runs on the worker executor.
 */
final class ProbeRunner {
    private ProbeRunner() {}

    record Result(boolean success, String message) {}

    static Result run(Probe p, Container c, String containerId, String podIP, ContainerBackend backend) {
        int timeoutSeconds = p.getTimeoutSeconds() == null || p.getTimeoutSeconds() <= 0 ? 1 : p.getTimeoutSeconds();
        try {
            if (p.getExec() != null) {
                ExecResult r = backend.exec(containerId, p.getExec().getCommand(), timeoutSeconds);
                String out = (r.stdout() + r.stderr()).strip();
                return new Result(r.exitCode() == 0, r.exitCode() == 0 ? out
                        : "command " + p.getExec().getCommand() + " exited with " + r.exitCode() + (out.isEmpty() ? "" : ": " + out));
            }
            if (p.getHttpGet() != null) {
                var h = p.getHttpGet();
                String host = h.getHost() == null || h.getHost().isEmpty() ? podIP : h.getHost();
                int port = port(h.getPort(), c);
                String scheme = h.getScheme() == null ? "http" : h.getScheme().toLowerCase(java.util.Locale.ROOT);
                String path = h.getPath() == null || h.getPath().isEmpty() ? "/" : h.getPath();
                URI uri = URI.create(scheme + "://" + host + ":" + port + (path.startsWith("/") ? path : "/" + path));
                HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection();
                conn.setConnectTimeout(timeoutSeconds * 1000);
                conn.setReadTimeout(timeoutSeconds * 1000);
                conn.setInstanceFollowRedirects(false);
                conn.setRequestProperty("User-Agent", "starling-probe/1.0");
                if (h.getHttpHeaders() != null) {
                    for (HTTPHeader hd : h.getHttpHeaders()) {
                        conn.setRequestProperty(hd.getName(), hd.getValue());
                    }
                }
                try {
                    int code = conn.getResponseCode();
                    try (InputStream in = code >= 400 ? conn.getErrorStream() : conn.getInputStream()) {
                        if (in != null) {
                            in.readNBytes(10 * 1024);
                        }
                    }
                    return new Result(code >= 200 && code < 400, "HTTP probe failed with statuscode: " + code);
                } finally {
                    conn.disconnect();
                }
            }
            if (p.getTcpSocket() != null) {
                var t = p.getTcpSocket();
                String host = t.getHost() == null || t.getHost().isEmpty() ? podIP : t.getHost();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port(t.getPort(), c)), timeoutSeconds * 1000);
                    return new Result(true, "");
                }
            }
            return new Result(false, "probe has no handler (exec, httpGet or tcpSocket)");
        } catch (IOException | BackendException | IllegalArgumentException e) {
            return new Result(false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A numeric port, or a named port of the container. */
    static int port(IntOrString port, Container c) {
        if (port == null) {
            throw new IllegalArgumentException("probe port missing");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        if (c.getPorts() != null) {
            for (ContainerPort cp : c.getPorts()) {
                if (name.equals(cp.getName())) {
                    return cp.getContainerPort();
                }
            }
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no container port named " + name);
        }
    }
}
