/** Injected time: {@link io.starling.core.time.Clock} and its system implementation. */
package io.starling.core.time;
