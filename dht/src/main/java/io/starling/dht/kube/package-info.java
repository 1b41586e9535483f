/** Kubernetes resources on top of the store: the served resource table, JSON codec and typed client. */
package io.starling.dht.kube;
