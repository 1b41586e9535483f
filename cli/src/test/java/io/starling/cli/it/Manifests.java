package io.starling.cli.it;

/** Manifests the process tests apply with kubectl. */
final class Manifests {
    private Manifests() {}

    /**
     * A Deployment of {@code replicas} pods labelled {@code app: NAME} whose one container loops
     * forever (the process runtime runs the command; the image name is not used).
     */
    static String deployment(String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                      - name: main
                        image: busybox
                        command: ["sh", "-c", "while true; do sleep 1; done"]
                        resources:
                          requests: {cpu: 100m, memory: 16Mi}
                """.formatted(name, replicas, name, name);
    }
}
