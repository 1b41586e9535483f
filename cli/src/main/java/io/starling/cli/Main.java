package io.starling.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code starling} command. Subcommands each live in their own class. */
@Command(name = "starling", mixinStandardHelpOptions = true, version = "starling 0.1.0",
        description = "Peer-to-peer, Kubernetes-compatible container orchestrator for edge devices.")
public final class Main implements Runnable {
    /** Every subcommand, in the order help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    // Lambdas, not constructor references: a reference links its class when Main initialises (and
    // verifying SimulateCommand loads the simulator), so a peer would load every command's classes
    // and need every jar (edge peers run with only the jars they use, see EdgeJvm).
    static {
        SUBCOMMANDS.put("up", () -> new UpCommand());
        SUBCOMMANDS.put("init", () -> new InitCommand());
        SUBCOMMANDS.put("peer", () -> new PeerCommand());
        SUBCOMMANDS.put("kubeconfig", () -> new KubeconfigCommand());
        SUBCOMMANDS.put("scope", () -> new ScopeCommand());
        SUBCOMMANDS.put("dht", () -> new DhtCommand());
        SUBCOMMANDS.put("coords", () -> new CoordsCommand());
        SUBCOMMANDS.put("image", () -> new ImageCommand());
        SUBCOMMANDS.put("bench", () -> new BenchCommand());
        SUBCOMMANDS.put("simulate", () -> new SimulateCommand());
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // one line per log record: time, level, logger, message
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(execute(args));
    }

    /** Runs the CLI; bad usage and failures end in a one-line message, never a stack trace. */
    public static int execute(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        // Only the named subcommand's model is built (picocli reflects over every class it is given):
        // a peer on a small device starts ~1 s sooner and loads ~400 fewer classes (Jackson among them).
        // Help, an unknown name or no name builds them all, so usage and suggestions stay complete.
        boolean named = args.length > 0 && SUBCOMMANDS.containsKey(args[0]);
        SUBCOMMANDS.forEach((name, factory) -> {
            if (!named || name.equals(args[0])) {
                cmd.addSubcommand(name, factory.get());
            }
        });
        // `starling bench NAME --opt v`: everything after NAME belongs to the benchmark, not to picocli
        CommandLine bench = cmd.getSubcommands().get("bench");
        if (bench != null) {
            bench.setStopAtPositional(true);
            bench.setUnmatchedOptionsArePositionalParams(true);
        }
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("starling: " + oneLine(ex));
            if (System.getenv("STARLING_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cmd.setParameterExceptionHandler((ex, strings) -> {
            ex.getCommandLine().getErr().println("starling: " + ex.getMessage()
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cmd.execute(args);
    }

    static String oneLine(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return (m == null || m.isBlank() ? c.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
