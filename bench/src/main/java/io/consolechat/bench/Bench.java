package io.consolechat.bench;

import java.util.ArrayList;
import java.util.List;

/** Runs workloads, each on a server of its own (fresh unless a URL was given), and prints the results. */
final class Bench {
    private Bench() {
    }

    static List<Result> run(CommonOptions options, List<? extends Workload> workloads) throws Exception {
        var results = new ArrayList<Result>();
        for (var workload : workloads) {
            System.err.printf("bench: %s ...%n", workload.name());
            try (var server = options.startServer(workload.name())) {
                var measured = workload.run(server, options);
                results.addAll(measured);
            }
        }
        return results;
    }

    static int runAndPrint(CommonOptions options, List<? extends Workload> workloads) throws Exception {
        var results = run(options, workloads);
        if (options.json) {
            Report.json(results, System.out);
        } else {
            System.out.println();
            Report.table(results, System.out);
        }
        return 0;
    }
}
