package io.starling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeJvmTest {
    private static final String FULL = String.join(File.pathSeparator, List.of("cli/target/starling-cli.jar",
            "lib/starling-runtime-0.1.0-SNAPSHOT.jar", "lib/starling-benchmarks-0.1.0-SNAPSHOT.jar",
            "lib/jfreechart-1.5.6.jar", "lib/grpc-core-1.85.1.jar", "lib/guava-33.6.0-android.jar",
            "lib/netty-transport-native-epoll-4.2.18.Final-linux-x86_64.jar", "lib/netty-handler-4.2.18.Final.jar",
            "lib/jackson-annotations-2.21.jar", "lib/annotations-4.1.1.4.jar", "lib/bcprov-jdk18on-1.87.jar",
            "lib/bcpkix-jdk18on-1.87.jar", "scheduler/target/classes", "lib/some-new-library-1.0.jar"));

    @Test
    void processEdgePeersGetNeitherToolNorGrpcJars() {
        assertEquals(List.of("cli/target/starling-cli.jar", "lib/starling-runtime-0.1.0-SNAPSHOT.jar",
                        "lib/netty-handler-4.2.18.Final.jar", "lib/jackson-annotations-2.21.jar", "lib/bcprov-jdk18on-1.87.jar",
                        "scheduler/target/classes", "lib/some-new-library-1.0.jar"),
                List.of(EdgeJvm.classPath(FULL, "process").split(File.pathSeparator)));
    }

    @Test
    void containerdEdgePeersKeepTheCriClientsJars() {
        assertEquals(List.of("cli/target/starling-cli.jar", "lib/starling-runtime-0.1.0-SNAPSHOT.jar",
                        "lib/grpc-core-1.85.1.jar", "lib/guava-33.6.0-android.jar",
                        "lib/netty-transport-native-epoll-4.2.18.Final-linux-x86_64.jar", "lib/netty-handler-4.2.18.Final.jar",
                        "lib/jackson-annotations-2.21.jar", "lib/annotations-4.1.1.4.jar", "lib/bcprov-jdk18on-1.87.jar",
                        "scheduler/target/classes", "lib/some-new-library-1.0.jar"),
                List.of(EdgeJvm.classPath(FULL, "containerd").split(File.pathSeparator)));
    }

    @Test
    void artifactIdDropsTheVersionAndClassifier() {
        assertEquals("netty-transport-native-epoll", EdgeJvm.artifactId("netty-transport-native-epoll-4.2.18.Final-linux-x86_64.jar"));
        assertEquals("bcpkix-jdk18on", EdgeJvm.artifactId("bcpkix-jdk18on-1.87.jar"));
        assertEquals("starling-cli", EdgeJvm.artifactId("starling-cli.jar"));
        assertEquals("", EdgeJvm.artifactId("classes"));
    }
}
