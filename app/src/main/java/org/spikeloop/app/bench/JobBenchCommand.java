package org.spikeloop.app.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench jobs}: decode step latency of K sessions with and without a training job
 * ({@link JobInterferenceBench}); one JSON line per run on stdout, then a summary line.
 */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "Decode step p99 of K sessions with and without an SG-BPTT job running.")
public final class JobBenchCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--sessions",
            paramLabel = "N",
            defaultValue = "4",
            description = "Decoding sessions. Default: ${DEFAULT-VALUE}.")
    int sessions;

    @Option(
            names = "--channels",
            paramLabel = "N",
            defaultValue = "96",
            description = "Channels of each session's stream. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "256",
            description = "Hidden neurons of each decoder. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(
            names = "--pairs",
            paramLabel = "N",
            defaultValue = "5",
            description = "Alternating without/with pairs of runs. Default: ${DEFAULT-VALUE}.")
    int pairs;

    @Option(
            names = "--warmup-s",
            paramLabel = "S",
            defaultValue = "5",
            description = "Warm-up seconds per run. Default: ${DEFAULT-VALUE}.")
    double warmupS;

    @Option(
            names = "--duration",
            paramLabel = "S",
            defaultValue = "20",
            description = "Measured seconds per run. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Scratch directory. Default: a temporary one.")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        NetworkSize.requirePositive("--sessions", sessions);
        NetworkSize.requirePositive("--channels", channels);
        NetworkSize.requirePositive("--hidden", hidden);
        NetworkSize.requirePositive("--pairs", pairs);
        if (!(warmupS >= 0) || !(seconds > 0)) {
            throw new IllegalArgumentException(
                    "need --warmup-s >= 0 and --duration > 0, got " + warmupS + " and " + seconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workDir != null ? workDir : Files.createTempDirectory("spikeloop-bench-jobs");
        List<JobInterferenceBench.Run> runs =
                JobInterferenceBench.run(
                        new JobInterferenceBench.Settings(
                                sessions, channels, hidden, pairs, warmupS, seconds, dir),
                        out);
        double without = JobInterferenceBench.medianP99(runs, false);
        double with = JobInterferenceBench.medianP99(runs, true);
        out.printf(
                Locale.ROOT,
                "{\"summary\":true,\"median_p99_us_without_job\":%.2f,\"median_p99_us_with_job\":%.2f,"
                        + "\"increase_pct\":%.1f}%n",
                without,
                with,
                100 * (with / without - 1));
        out.flush();
        return 0;
    }
}
