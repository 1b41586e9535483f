/**
 * The service proxy of a node (our kube-proxy): NodePort listeners that send every connection to
 * the nearest ready endpoint of the Service by predicted RTT (Vivaldi), not round-robin across the
 * WAN (Fahs & Pierre). {@link io.starling.scheduler.service.NearestEndpoint} is the pure choice;
 * {@link io.starling.scheduler.service.ServiceRoutes} derives the routing table from Services,
 * EndpointSlices and Nodes; {@link io.starling.scheduler.service.ServiceProxy} holds the sockets.
 */
package io.starling.scheduler.service;
