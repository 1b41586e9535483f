/**
 * Container logs in the CRI log format ({@code TIMESTAMP STREAM P|F CONTENT}, one record per line,
 * P = partial line continued by the next record): writing records (process backend), and reading
 * them back the way {@code kubectl logs} asks (tailLines, sinceSeconds, timestamps, follow).
 */
package io.starling.runtime.logs;
