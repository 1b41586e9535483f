package io.starling.runtime.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.starling.runtime.backend.BackendException;
import io.starling.runtime.backend.ExecProcess;
import io.starling.runtime.exec.RemoteCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@code kubectl exec} on the agent: the WebSocket side is this handler (on the channel's event
 * loop); the command's blocking streams are pumped by threads of {@code threads}. Output waits
 * while the channel is not writable (the command then blocks on a full pipe); stdin is queued
 * to a writer thread and reading from the socket pauses above {@link #MAX_STDIN_QUEUED_BYTES}.
 * When the command exits, its output is drained (at most {@link #DRAIN_AFTER_EXIT_MILLIS}), the
 * exit status goes on the error channel and the WebSocket closes normally. A client that goes away
 * kills the command.
 */
final class ExecSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(ExecSession.class.getName());
    static final int MAX_STDIN_QUEUED_BYTES = 256 * 1024;
    static final int READ_CHUNK_BYTES = 32 * 1024;
    static final long DRAIN_AFTER_EXIT_MILLIS = 5_000;
    /** How long the agent waits for the client's answer to its close frame. */
    static final long CLOSE_WAIT_MILLIS = 2_000;
    private static final byte[] EOF = new byte[0];

    /** What the client asked for. */
    record Options(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}

    private final Options options;
    private final Supplier<ExecProcess> starter;
    private final Executor threads;
    private final Runnable onEnd;
    private final LinkedBlockingQueue<byte[]> stdinQueue = new LinkedBlockingQueue<>();
    private final AtomicLong stdinQueuedBytes = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Object writable = new Object();
    private volatile Channel channel;
    private volatile String protocol;
    private volatile ExecProcess process;

    /**
     * @param starter starts the command (blocking; runs on one of {@code threads}); throws
     *     {@link BackendException} with a message for the user
     * @param onEnd runs once when the session is over (frees its slot)
     */
    ExecSession(Options options, Supplier<ExecProcess> starter, Executor threads, Runnable onEnd) {
        this.options = options;
        this.starter = starter;
        this.threads = threads;
        this.onEnd = onEnd;
    }

    /** Called once the handshake is done: starts the command. */
    void start(Channel ch, String negotiated) {
        channel = ch;
        protocol = negotiated;
        ch.config().setAutoRead(false);
        ch.closeFuture().addListener(f -> ended());
        threads.execute(this::run);
    }

    private void run() {
        ExecProcess p;
        try {
            p = starter.get();
        } catch (BackendException e) {
            finish(RemoteCommand.failure(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "exec failed to start", e);
            finish(RemoteCommand.failure("cannot start the command: " + e));
            return;
        }
        process = p;
        if (!channel.isActive()) {
            p.destroy();
            return;
        }
        CountDownLatch pumps = new CountDownLatch(2);
        threads.execute(() -> pump(p.stdout(), RemoteCommand.STDOUT, options.stdout(), pumps));
        threads.execute(() -> pump(p.stderr(), RemoteCommand.STDERR, options.stderr() && !options.tty(), pumps));
        if (p.stdin() != null) {
            threads.execute(() -> writeStdin(p.stdin()));
        }
        channel.config().setAutoRead(true);
        try {
            int exit = p.waitFor();
            if (!pumps.await(DRAIN_AFTER_EXIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.fine("exec output still open after the command exited (a background child?); ending anyway");
                p.destroy();
            }
            finish(RemoteCommand.exitStatus(exit));
        } catch (BackendException e) {
            finish(RemoteCommand.failure(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
        }
    }

    private void pump(InputStream in, int ch, boolean forward, CountDownLatch done) {
        byte[] buf = new byte[READ_CHUNK_BYTES];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (forward && n > 0 && awaitWritable()) {
                    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(RemoteCommand.frame(ch, buf, 0, n))));
                }
            }
        } catch (IOException e) {
            // the command closed its end or was killed
        } finally {
            done.countDown();
        }
    }

    /** Waits while the socket's outbound buffer is full; false once the channel is gone. */
    private boolean awaitWritable() {
        synchronized (writable) {
            while (channel.isActive() && !channel.isWritable()) {
                try {
                    writable.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return channel.isActive();
    }

    private void writeStdin(OutputStream out) {
        try (out) {
            while (true) {
                byte[] b = stdinQueue.take();
                if (b == EOF) {
                    return;
                }
                out.write(b);
                out.flush();
                if (stdinQueuedBytes.addAndGet(-b.length) < MAX_STDIN_QUEUED_BYTES / 2 && !channel.config().isAutoRead()) {
                    channel.config().setAutoRead(true);
                }
            }
        } catch (IOException e) {
            // the command does not read its stdin any more: drop what the client still sends
            stdinQueue.clear();
            stdinQueuedBytes.set(0);
            channel.config().setAutoRead(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the last error-channel message and closes the WebSocket normally; once. */
    private void finish(byte[] statusFrame) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        Channel ch = channel;
        ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(statusFrame)));
        ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        // Close TCP when the client answers the close (channelRead), or after a grace: closing at once
        // could reset a connection the client still writes to, and a reset may drop the status unread.
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof BinaryWebSocketFrame f) {
                onMessage(ctx, ByteBufUtil.getBytes(f.content()));
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame) {
                ctx.close();
            } else if (msg instanceof WebSocketFrame && !(msg instanceof PongWebSocketFrame)) {
                protocolError("the remote-command protocols use binary messages only");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onMessage(ChannelHandlerContext ctx, byte[] message) {
        RemoteCommand.Inbound in = RemoteCommand.decode(message, protocol);
        if (in instanceof RemoteCommand.Malformed m) {
            protocolError(m.reason());
        } else if (in instanceof RemoteCommand.Close c && c.channel() == RemoteCommand.STDIN) {
            stdinQueue.add(EOF);
        } else if (in instanceof RemoteCommand.Data d && d.channel() == RemoteCommand.STDIN) {
            if (!options.stdin()) {
                return;
            }
            stdinQueue.add(d.bytes());
            if (stdinQueuedBytes.addAndGet(d.bytes().length) > MAX_STDIN_QUEUED_BYTES) {
                ctx.channel().config().setAutoRead(false);
            }
        }
        // resize: no tty, nothing to resize
    }

    private void protocolError(String why) {
        ExecProcess p = process;
        if (p != null) {
            p.destroy();
        }
        finish(RemoteCommand.failure("remote-command protocol error: " + why));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        synchronized (writable) {
            writable.notifyAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void ended() {
        synchronized (writable) {
            writable.notifyAll();
        }
        stdinQueue.add(EOF);
        ExecProcess p = process;
        if (p != null && !finished.get()) {
            p.destroy();
        }
        onEnd.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "exec connection error", cause);
        ctx.close();
    }
}
