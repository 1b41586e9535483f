package io.starling.runtime.logs;

/**
 * What a {@code kubectl logs} request asks for.
 *
 * @param tailLines last N lines only; negative = all
 * @param sinceSeconds only lines newer than this many seconds; 0 = all
 * @param timestamps prefix each line with its RFC 3339 timestamp
 * @param follow keep streaming while the container runs
 * @param previous the previous (terminated) instance of the container
 * @param limitBytes stop after this many bytes; 0 = no limit
 */
public record LogOptions(int tailLines, long sinceSeconds, boolean timestamps, boolean follow, boolean previous,
                         long limitBytes) {
    public static final LogOptions ALL = new LogOptions(-1, 0, false, false, false, 0);
}
