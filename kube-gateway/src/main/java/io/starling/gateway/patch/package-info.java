/**
 * Patch semantics of the Kubernetes API, as pure functions on Jackson trees: strategic merge patch
 * ({@link io.starling.gateway.patch.StrategicMergePatch}, with the merge-key table of the built-in
 * types in {@link io.starling.gateway.patch.MergeKeyTable}), JSON patch and JSON merge patch
 * ({@link io.starling.gateway.patch.JsonPatches}), and server-side apply with field ownership
 * ({@link io.starling.gateway.patch.ServerSideApply}, {@link io.starling.gateway.patch.ManagedFields}).
 * No I/O and no clock: callers pass "now". Every failure is a
 * {@link io.starling.gateway.patch.PatchException} carrying the HTTP status the API answers with.
 */
package io.starling.gateway.patch;
