package io.consolechat.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code console-chat bench}: the load generator; each workload is a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure a server: fan-out, idle streams, ingest and logins; redis-fanout measures Redis pub/sub the same way.",
            "Without --server, each workload starts a fresh server in its own JVM and reports its CPU and memory."},
        subcommands = {Fanout.class, Idle.class, Ingest.class, Login.class, ManyRooms.class, Suite.class,
            RedisFanout.class},
        exitCodeListHeading = BenchCommand.EXIT_CODES, exitCodeList = {BenchCommand.OK, BenchCommand.FAILED})
public final class BenchCommand implements Callable<Integer> {
    // The exit codes every bench command lists in its --help.
    static final String EXIT_CODES = "%nExit codes:%n";
    static final String OK = "0:the report was printed (its own columns say whether every message arrived)";
    static final String FAILED = "1:usage error, or the run failed (the reason on stderr)";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No workload given: a usage error, with the list of workloads. */
    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("console-chat bench: missing workload");
        spec.commandLine().usage(err);
        return 1;
    }
}
