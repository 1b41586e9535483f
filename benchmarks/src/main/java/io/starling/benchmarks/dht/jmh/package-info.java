/**
 * JMH micro-benchmarks of single DHT components: record encoding/signing and routing-table
 * updates. Run with {@code java -cp <benchmarks classpath> org.openjdk.jmh.Main 'io.starling.benchmarks.dht.jmh.*'}.
 */
package io.starling.benchmarks.dht.jmh;
