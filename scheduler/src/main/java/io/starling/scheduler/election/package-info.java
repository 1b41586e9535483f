/**
 * One active instance per site and role (the scheduler, the controller manager) through a
 * coordination.k8s.io Lease in kube-system, acquired and renewed with compare-and-set writes on
 * the cluster store, as client-go's leaderelection does with the API server.
 */
package io.starling.scheduler.election;
