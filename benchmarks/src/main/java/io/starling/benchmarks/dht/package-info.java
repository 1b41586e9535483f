/** DHT macro benchmarks over the simulated network (dht-lookup). */
package io.starling.benchmarks.dht;
