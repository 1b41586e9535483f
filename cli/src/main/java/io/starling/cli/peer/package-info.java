/**
 * One running peer process: {@link io.starling.cli.peer.PeerNode} wires transport, DHT or forwarding
 * store, Vivaldi coordinates ({@link io.starling.cli.peer.PeerCoordinates}) and the services on top
 * ({@link io.starling.cli.peer.PeerServices}: API gateway, site leadership, node agent).
 */
package io.starling.cli.peer;
