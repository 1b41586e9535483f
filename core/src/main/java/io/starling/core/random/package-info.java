/** Injected randomness: seeded per-peer sources for protocol decisions, a separate secure source for crypto. */
package io.starling.core.random;
