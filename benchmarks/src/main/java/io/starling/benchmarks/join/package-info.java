/** How fast a new peer joins: process start to peer ready to Node Ready. */
package io.starling.benchmarks.join;
