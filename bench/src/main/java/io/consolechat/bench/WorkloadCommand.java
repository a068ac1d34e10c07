package io.consolechat.bench;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A workload that is also a subcommand of its own: run alone, it prints its report with the common options. */
@Command(exitCodeListHeading = BenchCommand.EXIT_CODES, exitCodeList = {BenchCommand.OK, BenchCommand.FAILED})
abstract class WorkloadCommand implements Workload, Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    /** The subcommand's name, which is also the name of the workload in reports. */
    @Override
    public String name() {
        return getClass().getAnnotation(Command.class).name();
    }

    @Override
    public Integer call() throws Exception {
        return Bench.runAndPrint(common, List.of(this));
    }
}
