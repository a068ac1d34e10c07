package io.consolechat.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every workload takes: which server, how to start one, how to print. */
public final class CommonOptions {
    @Option(names = "--server", paramLabel = "URL", split = ",",
            description = "Run against this server, or these servers sharing one database (URLs separated by "
                    + "commas: fanout and ingest spread their listeners and senders over them in turn); without "
                    + "it a fresh server is started in its own JVM on a temporary data directory (and its CPU "
                    + "time and peak RSS are reported).")
    List<URI> server = new ArrayList<>();

    @Option(names = "--json", description = "Print the results as JSON instead of a table.")
    boolean json;

    @Option(names = "--server-arg", paramLabel = "ARG",
            description = "Extra argument for the started server, e.g. --server-arg=--presence-grace=60 (repeatable).")
    List<String> serverArgs = new ArrayList<>();

    @Option(names = "--server-jvm-opt", paramLabel = "OPT",
            description = "Extra JVM option for the started server, e.g. --server-jvm-opt=-Xmx512m (repeatable).")
    List<String> serverJvmOptions = new ArrayList<>();

    @Option(names = "--jfr", paramLabel = "DIR",
            description = "Record the started server with Java Flight Recorder (profile settings) into DIR/<workload>.jfr.")
    Path jfrDirectory;

    @Option(names = "--source-addresses", paramLabel = "N",
            description = "Spread connections over 127.0.0.1..127.0.0.N (loopback servers only); "
                    + "0 picks enough for at most 150 streams per address (default ${DEFAULT-VALUE}).")
    int sourceAddresses = 0;

    ServerUnderTest startServer(String workload) throws java.io.IOException {
        if (!server.isEmpty()) {
            return ServerUnderTest.external(server);
        }
        var jvm = new ArrayList<>(serverJvmOptions);
        if (jfrDirectory != null) {
            java.nio.file.Files.createDirectories(jfrDirectory);
            jvm.add("-XX:StartFlightRecording=settings=profile,filename="
                    + jfrDirectory.resolve(workload + ".jfr").toAbsolutePath());
        }
        return ServerUnderTest.start(jvm, serverArgs);
    }

    /** The source addresses for {@code connections} streams against {@code target}. */
    SourceAddresses sources(ServerUnderTest target, int connections) {
        int count = sourceAddresses > 0 ? sourceAddresses : Math.max(1, (connections + 149) / 150);
        return SourceAddresses.forServer(target.address().getAddress(), count);
    }
}
