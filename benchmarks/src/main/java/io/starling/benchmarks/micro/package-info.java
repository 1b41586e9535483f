/** Runner for the JMH micro-benchmarks, so they are one {@code starling bench jmh} away. */
package io.starling.benchmarks.micro;
