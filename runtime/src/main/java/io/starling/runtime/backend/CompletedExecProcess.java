package io.starling.runtime.backend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * An {@link ExecProcess} over a run-to-completion exec (CRI ExecSync): the command runs on a
 * thread of its own, and its whole output becomes readable once it has exited. No stdin.
 */
public final class CompletedExecProcess implements ExecProcess {
    /** What a run-to-completion exec returns. */
    public record Output(int exitCode, byte[] stdout, byte[] stderr) {}

    private final CompletableFuture<Output> result = new CompletableFuture<>();

    /** Starts {@code run} on a new daemon thread named {@code threadName}. */
    public CompletedExecProcess(Supplier<Output> run, String threadName) {
        Thread t = new Thread(() -> {
            try {
                result.complete(run.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public OutputStream stdin() {
        return null;
    }

    @Override
    public InputStream stdout() {
        return new Deferred(true);
    }

    @Override
    public InputStream stderr() {
        return new Deferred(false);
    }

    @Override
    public int waitFor() throws InterruptedException {
        return output().exitCode();
    }

    private Output output() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof BackendException b ? b : new BackendException("exec failed: " + c, c);
        }
    }

    @Override
    public void destroy() {
        // ExecSync cannot be cancelled; its own timeout ends it. Readers stop waiting.
        result.completeExceptionally(new BackendException("exec cancelled"));
    }

    /** Blocks on the first read until the command is done, then serves one of its outputs. */
    private final class Deferred extends InputStream {
        private final boolean stdout;
        private InputStream in;

        Deferred(boolean stdout) {
            this.stdout = stdout;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                try {
                    Output o = output();
                    in = new ByteArrayInputStream(stdout ? o.stdout() : o.stderr());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } catch (BackendException e) {
                    in = InputStream.nullInputStream();
                }
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }
    }
}
