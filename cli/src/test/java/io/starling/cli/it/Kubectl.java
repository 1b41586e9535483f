package io.starling.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl binary (the one on PATH unless another is given) with a given kubeconfig and context. */
public final class Kubectl {
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed (" + exitCode + "): " + stderr + stdout);
            }
            return this;
        }
    }

    private final Path kubeconfig;
    private final String context;
    private final List<String> prefix;
    private final String binary;

    public Kubectl(Path kubeconfig, String context) {
        this(kubeconfig, context, List.of());
    }

    /** {@code prefix} runs kubectl through another command, e.g. {@code ip netns exec NS}. */
    public Kubectl(Path kubeconfig, String context, List<String> prefix) {
        this(kubeconfig, context, prefix, "kubectl");
    }

    /** {@code binary} is the kubectl executable to run (a path, or a name looked up on PATH). */
    public Kubectl(Path kubeconfig, String context, List<String> prefix, String binary) {
        this.kubeconfig = kubeconfig;
        this.context = context;
        this.prefix = List.copyOf(prefix);
        this.binary = binary;
    }

    /** The same cluster and context through another kubectl executable. */
    public Kubectl withBinary(Path kubectlBinary) {
        return new Kubectl(kubeconfig, context, prefix, kubectlBinary.toString());
    }

    public static boolean available() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Kubectl withContext(String ctx) {
        return new Kubectl(kubeconfig, ctx, prefix, binary);
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    public Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(binary, "--kubeconfig", kubeconfig.toString(), "--request-timeout=20s"));
        if (context != null) {
            cmd.add("--context");
            cmd.add(context);
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("KUBECONFIG");
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        // read both streams fully (small outputs); avoid blocking on a full pipe with a reader thread
        StringBuilder err = new StringBuilder();
        Thread t = new Thread(() -> {
            try {
                err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // process died; what we have is enough
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        t.join(5000);
        return new Result(p.exitValue(), out, err.toString());
    }
}
