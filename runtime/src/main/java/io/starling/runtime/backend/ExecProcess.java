package io.starling.runtime.backend;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command started in a container for an interactive exec ({@code kubectl exec}). Blocking
 * streams in the style of {@link Process}: the caller pumps them on its own threads.
 */
public interface ExecProcess {
    /** The command's stdin; {@code null} when it was started without stdin. Closing it sends EOF. */
    OutputStream stdin();

    /** The command's stdout (empty when not requested). */
    InputStream stdout();

    /** The command's stderr (empty when not requested). */
    InputStream stderr();

    /** Blocks until the command exits; returns its exit code. */
    int waitFor() throws InterruptedException;

    /** Kills the command and everything it started (client gone); idempotent. */
    void destroy();
}
