/**
 * Local persistence of DHT records on each holder: H2 MVStore on disk (or in memory for
 * simulation) behind a byte-bounded Caffeine cache, so memory stays bounded on small devices.
 */
package io.starling.dht.storage;
