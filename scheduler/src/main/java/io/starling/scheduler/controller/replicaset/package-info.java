/** The ReplicaSet controller: keeps the number of active pods of each ReplicaSet at spec.replicas. */
package io.starling.scheduler.controller.replicaset;
