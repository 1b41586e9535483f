/** Edge-peer memory (PSS, as FLEDGE measured it) of a real edge peer process and its pods. */
package io.starling.benchmarks.memory;
