package io.consolechat.bench;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The standard suite: every workload with its standard parameters, one table. */
@Command(name = "suite", aliases = "all", mixinStandardHelpOptions = true,
        description = {"The standard suite: fanout L=1000 R=100 D=30; idle N=10000; ingest P=32 D=20; login.",
            "Each workload gets a fresh server unless --server is given."},
        exitCodeListHeading = BenchCommand.EXIT_CODES, exitCodeList = {BenchCommand.OK, BenchCommand.FAILED})
final class Suite implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        return Bench.runAndPrint(common, List.of(new Fanout(), new Idle(), new Ingest(), new Login()));
    }
}
