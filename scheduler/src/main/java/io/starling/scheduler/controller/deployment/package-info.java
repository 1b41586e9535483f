/**
 * The Deployment controller: one ReplicaSet per pod template (named by the template's hash),
 * revision bookkeeping compatible with {@code kubectl rollout history|undo|restart}, RollingUpdate
 * and Recreate strategies, and the status and conditions {@code kubectl rollout status} reads.
 */
package io.starling.scheduler.controller.deployment;
