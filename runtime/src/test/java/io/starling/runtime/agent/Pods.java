package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;

/** Pod fixtures for agent tests: busybox-style shell commands that both backends can run. */
final class Pods {
    private Pods() {}

    static Container shell(String name, String image, String script) {
        return new ContainerBuilder().withName(name).withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", script).build();
    }

    static Pod pod(String ns, String name, String node, Container... containers) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L).withContainers(List.of(containers))
                .endSpec().build();
    }

    static ContainerStatus status(Pod p, String container) {
        return p.getStatus().getContainerStatuses().stream().filter(c -> c.getName().equals(container)).findFirst().orElseThrow();
    }

    static boolean runningReady(Pod p) {
        return "Running".equals(p.getStatus().getPhase())
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
