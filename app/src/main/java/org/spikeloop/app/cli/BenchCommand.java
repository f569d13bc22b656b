package org.spikeloop.app.cli;

import org.spikeloop.app.bench.DecodeBenchCommand;
import org.spikeloop.app.bench.IngestBenchCommand;
import org.spikeloop.app.bench.StepBenchCommand;
import org.spikeloop.app.bench.TrainBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeloop bench}: benchmark harnesses, one subcommand each (never run by the tests). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Latency, throughput and accuracy harnesses (docs/benchmarks.md).",
        subcommands = {
            StepBenchCommand.class,
            DecodeBenchCommand.class,
            IngestBenchCommand.class,
            org.spikeloop.app.bench.E2eBenchCommand.class,
            org.spikeloop.app.bench.E2eWatchCommand.class,
            TrainBenchCommand.class,
            org.spikeloop.app.bench.JobBenchCommand.class,
            org.spikeloop.app.bench.AbuseBenchCommand.class,
            org.spikeloop.app.bench.RobustnessBenchCommand.class
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
