package io.starling.gateway.kubelet;

import io.starling.gateway.http.Reply;
import io.starling.gateway.http.StreamSink;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Forwards pods/log to the node agent that runs the pod (kubelet-style
 * {@code GET /containerLogs/{ns}/{pod}/{container}}), streaming the body back as it arrives so
 * {@code kubectl logs -f} follows. Uses the JDK HTTP client asynchronously: no thread waits on a
 * followed log. A non-200 answer of the node agent becomes a Status with its code.
 *
 * <p>With {@link #mutualTls} (what super-peers run) requests go over HTTPS with this super-peer's
 * certificate, and only to an agent whose certificate is the named peer's. The JDK client reuses
 * connections per host and port without a new handshake, so each expected peer gets its own
 * client (a small LRU of {@link #MAX_TLS_CLIENTS}): a pooled connection is only ever reused for
 * the peer it was verified for.
 */
public class KubeletProxy {
    /** Log query parameters passed through to the node agent. */
    public static final List<String> LOG_PARAMS = List.of("follow", "tailLines", "sinceSeconds", "sinceTime",
            "timestamps", "previous", "limitBytes");

    /** Distinct node agents with an HTTPS client kept (each client holds a selector thread while reachable). */
    static final int MAX_TLS_CLIENTS = 32;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client;
    private final String scheme;
    private final AgentClientTls tls;
    /** Access-ordered: the least recently used client is dropped first. */
    private final Map<String, HttpClient> tlsClients = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param client HTTP client (configure its SSLContext for HTTPS node agents)
     * @param scheme "http" or "https"
     */
    public KubeletProxy(HttpClient client, String scheme) {
        this.client = client;
        this.scheme = scheme;
        this.tls = null;
    }

    private KubeletProxy(AgentClientTls tls) {
        this.client = null;
        this.scheme = "https";
        this.tls = tls;
    }

    /** HTTPS with this super-peer's certificate to agents that prove to be the Node's peer. */
    public static KubeletProxy mutualTls(AgentClientTls tls) {
        return new KubeletProxy(tls);
    }

    /** The agent TLS credentials (also used for exec), or empty for plain HTTP. */
    public Optional<AgentClientTls> agentTls() {
        return Optional.ofNullable(tls);
    }

    private synchronized HttpClient clientFor(String peerId) {
        HttpClient c = tlsClients.get(peerId);
        if (c == null) {
            c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                    .sslContext(tls.jdkFor(peerId)).sslParameters(AgentClientTls.jdkParameters()).build();
            tlsClients.put(peerId, c);
            if (tlsClients.size() > MAX_TLS_CLIENTS) {
                Iterator<String> eldest = tlsClients.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        return c;
    }

    /** Plain HTTP with a 5 s connect timeout. */
    public static KubeletProxy plain() {
        return new KubeletProxy(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build(), "http");
    }

    /** An error answer of the node agent, or of the proxy itself (502 when unreachable). */
    public record Failure(int code, String message) {}

    /**
     * Starts the request; completes with a streaming reply once the node agent answered 200, or with
     * a {@link Failure}.
     */
    public CompletableFuture<Object> containerLogs(String host, int port, String namespace, String pod, String container,
                                                   Map<String, String> query) {
        return containerLogs(host, port, null, namespace, pod, container, query);
    }

    /**
     * @param peerId hex node id of the peer the Node names ({@code starling.io/peer-id}); required with
     *     mutual TLS (the agent must prove it), ignored over plain HTTP
     */
    public CompletableFuture<Object> containerLogs(String host, int port, String peerId, String namespace, String pod,
                                                   String container, Map<String, String> query) {
        HttpClient http = client;
        if (tls != null) {
            if (peerId == null || peerId.isEmpty()) {
                return CompletableFuture.completedFuture(new Failure(502, "the Node at " + host + ":" + port
                        + " does not name its peer (annotation starling.io/peer-id), so its node agent cannot be authenticated"));
            }
            http = clientFor(peerId.toLowerCase(java.util.Locale.ROOT));
        }
        StringBuilder uri = new StringBuilder(scheme).append("://").append(host.contains(":") ? "[" + host + "]" : host)
                .append(':').append(port).append("/containerLogs/").append(enc(namespace)).append('/').append(enc(pod))
                .append('/').append(enc(container));
        char sep = '?';
        for (String p : LOG_PARAMS) {
            String v = query.get(p);
            if (v != null) {
                uri.append(sep).append(p).append('=').append(enc(v));
                sep = '&';
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString())).GET().build();
        CompletableFuture<Object> result = new CompletableFuture<>();
        http.sendAsync(request, info -> {
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8), body -> {
                    result.complete(new Failure(info.statusCode(), body.isBlank() ? "node agent answered " + info.statusCode() : body.trim()));
                    return null;
                });
            }
            Forwarder f = new Forwarder();
            String ct = info.headers().firstValue("content-type").orElse("text/plain");
            result.complete(new Reply.Streaming(200, ct, Map.of(), f::attach));
            return HttpResponse.BodySubscribers.fromSubscriber(f);
        }).whenComplete((r, e) -> {
            if (e != null) {
                result.complete(new Failure(502, "cannot reach the node agent at " + host + ":" + port + ": " + rootMessage(e)));
            }
        });
        return result;
    }

    /** The innermost cause's message: a TLS refusal is wrapped in a CompletionException and an SSLException. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isEmpty() ? t.getClass().getSimpleName() : m;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Buffers chunks until the client stream is attached, then forwards them one request at a time. */
    private static final class Forwarder implements Flow.Subscriber<List<ByteBuffer>> {
        private Flow.Subscription subscription;
        private StreamSink sink;
        private final List<byte[]> pending = new ArrayList<>();
        private boolean done;

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (sink != null) {
                s.request(1);
            }
        }

        synchronized void attach(StreamSink s) {
            sink = s;
            s.onClose(this::cancel);
            for (byte[] b : pending) {
                s.send(b);
            }
            pending.clear();
            if (done) {
                s.end();
            } else if (subscription != null) {
                subscription.request(1);
            }
        }

        private synchronized void cancel() {
            if (subscription != null && !done) {
                subscription.cancel();
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> item) {
            for (ByteBuffer b : item) {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                if (sink != null) {
                    sink.send(bytes);
                } else {
                    pending.add(bytes);
                }
            }
            if (sink != null) {
                subscription.request(1);
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            onComplete();
        }

        @Override
        public synchronized void onComplete() {
            done = true;
            if (sink != null) {
                sink.end();
            }
        }
    }
}
