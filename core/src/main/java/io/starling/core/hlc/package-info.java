/** Hybrid logical clocks: the causal version every record and resourceVersion is built on. */
package io.starling.core.hlc;
