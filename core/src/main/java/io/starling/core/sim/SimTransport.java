package io.starling.core.sim;

import io.starling.core.exec.Cancellable;
import io.starling.core.net.InboundHandler;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Piggyback;
import io.starling.core.net.RttListener;
import io.starling.core.net.RttSample;
import io.starling.core.net.Transport;
import io.starling.core.net.TransportException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link Transport} over a {@link SimNetwork}. The sender id the handler sees is the simulated
 * peer's own id (the analogue of the mutual-TLS identity). Futures complete and the handler runs
 * on this peer's {@link SimEventLoop}; every answered request yields an RTT sample. Piggyback bytes
 * are taken when a message leaves and handed over when it arrives (for a reply, before its RTT
 * sample), as the Netty transport does.
 *
 * <p>RTT samples follow the Netty transport's rule too: a reply carries how long the responder held
 * the request (virtual time from its arrival to the reply leaving; 0 when the handler answers at
 * once, more when it waits, e.g. on replication), and the requester reports the elapsed time minus
 * that hold ({@link RttSample}), so samples equal the latency model's round trip.
 */
public final class SimTransport implements Transport {
    private final SimNetwork network;
    private final SimEndpoint endpoint;
    private final SimEventLoop loop;
    private final Map<Long, Pending> pending = new java.util.LinkedHashMap<>();
    private final List<RttListener> rttListeners = new ArrayList<>();
    private final Map<PeerAddress, Long> lastDelivery = new HashMap<>();
    /** Virtual time at which this peer's uplink has sent everything queued so far (fractional ms). */
    private double uplinkFreeAtMillis;
    private InboundHandler handler;
    private Piggyback piggyback;
    private long nextRequestId;
    private boolean closed;

    private static final class Pending {
        final CompletableFuture<Message> future = new CompletableFuture<>();
        final long sentAtMillis;
        final PeerAddress to;
        Cancellable timeout = Cancellable.NONE;

        Pending(long sentAtMillis, PeerAddress to) {
            this.sentAtMillis = sentAtMillis;
            this.to = to;
        }
    }

    SimTransport(SimNetwork network, SimEndpoint endpoint, SimEventLoop loop) {
        this.network = network;
        this.endpoint = endpoint;
        this.loop = loop;
    }

    /**
     * FIFO per destination, as over one TCP connection: a message never overtakes an earlier one to
     * the same peer even with jitter. Entries in the past are pruned so the map stays small.
     */
    /**
     * Queues {@code millis} of transmission on this peer's uplink at virtual time {@code now};
     * returns how long until that transmission ends (waiting for earlier ones included).
     */
    double transmit(double millis, long now) {
        uplinkFreeAtMillis = Math.max(uplinkFreeAtMillis, now) + millis;
        return uplinkFreeAtMillis - now;
    }

    long fifoDeliveryTime(PeerAddress to, long at, long now) {
        Long last = lastDelivery.get(to);
        if (last != null && last > at) {
            at = last;
        }
        if (lastDelivery.size() > 64) {
            lastDelivery.values().removeIf(t -> t <= now);
        }
        lastDelivery.put(to, at);
        return at;
    }

    SimEndpoint endpoint() {
        return endpoint;
    }

    SimEventLoop loop() {
        return loop;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public PeerAddress localAddress() {
        return endpoint.address();
    }

    @Override
    public NodeId localId() {
        return endpoint.id();
    }

    @Override
    public CompletableFuture<Message> request(PeerAddress to, Message request, long timeoutMillis) {
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException(TransportException.Kind.CLOSED, "transport closed"));
        }
        long id = nextRequestId++;
        Pending p = new Pending(network.simulation().nowMillis(), to);
        pending.put(id, p);
        p.timeout = loop.schedule(timeoutMillis, () -> {
            if (pending.remove(id) != null) {
                p.future.completeExceptionally(new TransportException(TransportException.Kind.TIMEOUT,
                        "no reply from " + to + " within " + timeoutMillis + " ms"));
            }
        });
        byte[] extra = outgoing();
        network.carry(this, to, request, size(extra), receiver -> receiver.onRequest(this, id, request, extra));
        return p.future;
    }

    @Override
    public void send(PeerAddress to, Message message) {
        if (!closed) {
            byte[] extra = outgoing();
            network.carry(this, to, message, size(extra), receiver -> receiver.onOneWay(this, message, extra));
        }
    }

    @Override
    public void setHandler(InboundHandler handler) {
        this.handler = handler;
    }

    @Override
    public void setPiggyback(Piggyback piggyback) {
        this.piggyback = piggyback;
    }

    /** The piggyback's bytes for a message leaving now (copied: the simulated wire must not share arrays). */
    private byte[] outgoing() {
        if (piggyback == null) {
            return null;
        }
        byte[] bytes = piggyback.outgoing();
        return Piggyback.carriable(bytes) ? bytes.clone() : null;
    }

    private static int size(byte[] extra) {
        return extra == null ? 0 : extra.length;
    }

    private void received(NodeId sender, byte[] extra) {
        if (piggyback != null && extra != null) {
            piggyback.incoming(sender, extra);
        }
    }

    @Override
    public void addRttListener(RttListener listener) {
        rttListeners.add(listener);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            network.detach(this);
            failAllPending(TransportException.Kind.CLOSED, "transport closed");
        }
    }

    void markCrashed() {
        closed = true;
        loop.halt();
        pending.clear();
    }

    private void failAllPending(TransportException.Kind kind, String why) {
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : all) {
            p.timeout.cancel();
            p.future.completeExceptionally(new TransportException(kind, why));
        }
    }

    private void onOneWay(SimTransport from, Message message, byte[] extra) {
        received(from.localId(), extra);
        if (handler != null) {
            handler.handle(from.localId(), from.localAddress(), message);
        }
    }

    private void onRequest(SimTransport from, long id, Message request, byte[] extra) {
        long arrivedAtMillis = network.simulation().nowMillis();
        received(from.localId(), extra);
        CompletableFuture<Message> reply;
        try {
            reply = handler == null ? null : handler.handle(from.localId(), from.localAddress(), request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        if (reply == null) {
            reply = CompletableFuture.failedFuture(new IllegalStateException("no reply to " + request.getClass().getSimpleName()));
        }
        reply.whenComplete((msg, err) -> {
            if (closed) {
                return;
            }
            long holdMillis = network.simulation().nowMillis() - arrivedAtMillis;
            Reply r = new Reply(msg, err == null ? null : describe(err), holdMillis);
            byte[] back = outgoing();
            network.carry(this, from.localAddress(), r, size(back), requester -> requester.onReply(id, r, localId(), back));
        });
    }

    private static String describe(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private void onReply(long id, Reply reply, NodeId responder, byte[] extra) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        p.timeout.cancel();
        received(responder, extra); // before the RTT sample: listeners use what came with the reply
        double rtt = RttSample.networkMillis((network.simulation().nowMillis() - p.sentAtMillis) * 1_000_000L,
                reply.holdMillis * 1_000_000L);
        if (rtt != RttSample.NONE) {
            for (RttListener l : rttListeners) {
                l.onRtt(responder, p.to, rtt);
            }
        }
        if (reply.error != null) {
            p.future.completeExceptionally(new TransportException(TransportException.Kind.REMOTE_ERROR, reply.error));
        } else {
            p.future.complete(reply.message);
        }
    }

    void checkInvariants() {
        for (Pending p : pending.values()) {
            if (p.future.isDone()) {
                throw new IllegalStateException("completed request still pending at " + endpoint.address());
            }
        }
    }

    public int pendingRequests() {
        return pending.size();
    }

    /**
     * The response envelope (also a Message so the network can size and carry it), with the
     * responder's hold time in virtual milliseconds.
     */
    private record Reply(Message message, String error, long holdMillis) implements Message {}
}
