package io.starling.runtime.backend;

/** An image present on the node; {@code id} becomes containerStatuses[].imageID. */
public record ImageInfo(String id, long sizeBytes) {}
