/**
 * Which super-peers belong to which site: the {@link io.starling.dht.site.SiteDirectory} every
 * super-peer keeps, from which it computes the site replica set of a collection (the r closest
 * super-peers of its own site) and finds the super-peers of other sites for cross-site replication.
 */
package io.starling.dht.site;
