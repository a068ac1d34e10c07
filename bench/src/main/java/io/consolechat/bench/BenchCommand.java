package io.consolechat.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code console-chat bench}: the load generator; each workload is a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure a server: fan-out, idle streams, ingest and logins.",
            "Without --server, each workload starts a fresh server in its own JVM and reports its CPU and memory."},
        subcommands = {Fanout.class, Idle.class, Ingest.class, Login.class, ManyRooms.class, Suite.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
