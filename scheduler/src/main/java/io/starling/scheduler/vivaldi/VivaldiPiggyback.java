package io.starling.scheduler.vivaldi;

import io.starling.core.exec.EventLoop;
import io.starling.core.net.NodeId;
import io.starling.core.net.Piggyback;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Carries a peer's Vivaldi coordinate on the messages its transport already sends, so the RTT
 * samples of answered requests can update {@link VivaldiService} without probe traffic.
 *
 * <p>Wire form (big-endian): one byte {@code n} = number of dimensions (1..{@link #MAX_DIMENSIONS}), then {@code n + 2} IEEE float32 values: the vector, the
 * height and the error (2-D: 17 bytes). Float precision (~1e-7 relative) is far below RTT noise.
 * Inbound bytes are untrusted: anything of the wrong length, a non-finite value, a negative
 * height or a non-positive error is ignored, never thrown.
 *
 * <p>Threads: the service belongs to {@code loop}. Both transports call a piggyback on their
 * event loop (the peer's loop), where this adapter uses the service directly, which keeps the
 * order "coordinate, then RTT sample" of a reply. Should it be called from another thread,
 * outgoing returns the last stamp encoded on the loop (a volatile snapshot) and incoming is posted
 * to the loop.
 */
public final class VivaldiPiggyback implements Piggyback {
    /** Most dimensions whose stamp fits in {@link Piggyback#MAX_BYTES} (13); larger ones are not sent. */
    public static final int MAX_DIMENSIONS = Math.min(CoordinateStamp.MAX_DIMENSIONS, (Piggyback.MAX_BYTES - 1) / Float.BYTES - 2);

    private final VivaldiService vivaldi;
    private final EventLoop loop;
    private volatile byte[] lastStamp;

    public VivaldiPiggyback(VivaldiService vivaldi, EventLoop loop) {
        this.vivaldi = vivaldi;
        this.loop = loop;
    }

    @Override
    public byte[] outgoing() {
        if (loop.inEventLoop()) {
            lastStamp = encode(vivaldi.stamp());
        }
        return lastStamp;
    }

    @Override
    public void incoming(NodeId sender, byte[] data) {
        Optional<CoordinateStamp> stamp = decode(data);
        if (stamp.isEmpty()) {
            return;
        }
        if (loop.inEventLoop()) {
            vivaldi.rememberRemote(sender, stamp.get());
        } else {
            loop.execute(() -> vivaldi.rememberRemote(sender, stamp.get()));
        }
    }

    /** The wire form of {@code stamp}; null when it cannot be carried (too many dimensions). */
    public static byte[] encode(CoordinateStamp stamp) {
        double[] v = stamp.vector();
        if (v == null || v.length == 0 || v.length > MAX_DIMENSIONS) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(1 + Float.BYTES * (v.length + 2));
        out.put((byte) v.length);
        for (double c : v) {
            out.putFloat((float) c);
        }
        out.putFloat((float) stamp.heightMs());
        out.putFloat((float) stamp.error());
        return out.array();
    }

    /** The stamp in {@code data}, or empty when {@code data} is not a well-formed one. */
    public static Optional<CoordinateStamp> decode(byte[] data) {
        if (data == null || data.length < 1) {
            return Optional.empty();
        }
        int n = data[0];
        if (n < 1 || n > MAX_DIMENSIONS || data.length != 1 + Float.BYTES * (n + 2)) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(data, 1, data.length - 1);
        double[] vector = new double[n];
        for (int i = 0; i < n; i++) {
            vector[i] = in.getFloat();
        }
        CoordinateStamp stamp = new CoordinateStamp(vector, in.getFloat(), in.getFloat());
        // toState() rejects NaN, infinities, a negative height and a non-positive error.
        return stamp.toState().isPresent() ? Optional.of(stamp) : Optional.empty();
    }
}
