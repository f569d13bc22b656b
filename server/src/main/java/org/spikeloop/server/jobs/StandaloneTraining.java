package org.spikeloop.server.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.snn.checkpoint.CheckpointException;

/**
 * {@code spikeloop train --xdf ... --registry DIR}: the server's training job run as a standalone
 * process (or a Kubernetes Job) against a shared registry directory. The registry's file lock makes
 * it safe to run while a server registers into the same directory.
 *
 * @param recordings XDF files
 * @param inputsStream inputs stream name
 * @param labelsStream labels stream name
 * @param fromS first time stamp (NaN = start)
 * @param toS last time stamp (NaN = end)
 * @param configJson job config text, or null (then {@code startCheckpoint} gives the architecture)
 * @param startCheckpoint registry id to start from, or null
 * @param sessionId session whose reference the result becomes ("" = none)
 * @param validationFraction held-out fraction (of the time for regression, of the trials for
 *     classification); NaN = the task's default
 * @param windowFrames frames per training window
 * @param patience early-stopping patience
 * @param threads BPTT worker threads
 * @param registryDir the registry directory
 * @param out optional copy of the trained checkpoint, or null
 * @param creator who runs it
 */
public record StandaloneTraining(
        List<Path> recordings,
        String inputsStream,
        String labelsStream,
        double fromS,
        double toS,
        String configJson,
        String startCheckpoint,
        String sessionId,
        double validationFraction,
        int windowFrames,
        int patience,
        int threads,
        Path registryDir,
        Path out,
        String creator) {

    /**
     * Runs the job, printing one line per epoch to {@code progress} (when non-null) and a summary
     * to {@code out}.
     *
     * @throws InvalidJobException for bad input (the registry is then unchanged)
     */
    public JobResult run(PrintWriter stdout, PrintWriter progress)
            throws IOException, CheckpointException {
        CheckpointRegistry registry = CheckpointRegistry.open(registryDir);
        String jobId = "train-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid();
        TrainingJobRequest request =
                new TrainingJobRequest(
                        sessionId,
                        recordings,
                        inputsStream,
                        labelsStream,
                        fromS,
                        toS,
                        configJson,
                        startCheckpoint,
                        validationFraction,
                        windowFrames,
                        patience,
                        creator);
        JobResult r =
                new TrainingJob(jobId, request, registry, threads)
                        .run(
                                p -> {
                                    if (progress != null) {
                                        if (Double.isNaN(p.validationAccuracy())) {
                                            progress.printf(
                                                    Locale.ROOT,
                                                    "epoch %d/%d  train MSE %.4g σ²  inner-validation MSE %.4g σ²  R² %.4f  kept %d  eta %.0f s%n",
                                                    p.epoch(),
                                                    p.maxEpochs(),
                                                    p.trainLoss(),
                                                    p.validationLoss(),
                                                    p.validationR2(),
                                                    p.bestEpoch(),
                                                    p.etaS());
                                        } else {
                                            progress.printf(
                                                    Locale.ROOT,
                                                    "epoch %d/%d  train CE %.4g  inner-validation CE %.4g  accuracy %.3f  kept %d  eta %.0f s%n",
                                                    p.epoch(),
                                                    p.maxEpochs(),
                                                    p.trainLoss(),
                                                    p.validationLoss(),
                                                    p.validationAccuracy(),
                                                    p.bestEpoch(),
                                                    p.etaS());
                                        }
                                        progress.flush();
                                    }
                                },
                                () -> false);
        if (out != null) {
            registry.load(r.checkpoint().id()).write(out);
        }
        stdout.printf(
                Locale.ROOT,
                "job %s: %s; %d epochs (kept %d%s); checkpoint %s in %s; report %s, %s%s%n",
                jobId,
                r.summary(),
                r.epochs(),
                r.bestEpoch(),
                r.stoppedEarly() ? ", stopped early" : "",
                r.checkpoint().id(),
                registryDir,
                r.report(),
                r.plot(),
                out != null ? "; copy " + out : "");
        stdout.flush();
        return r;
    }

    /**
     * The {@code .xdf} files of {@code dir} modified within {@code since} of now (all when null),
     * oldest first: the directory form for a CronJob reading a shared recordings volume.
     *
     * @throws InvalidJobException when the directory is missing or holds no such file
     */
    public static List<Path> recordingsIn(Path dir, java.time.Duration since) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidJobException("--recordings-dir: directory " + dir + " does not exist");
        }
        long cutoffMs =
                since == null ? Long.MIN_VALUE : System.currentTimeMillis() - since.toMillis();
        List<Path> files = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(".xdf")
                        && Files.isRegularFile(p)
                        && Files.getLastModifiedTime(p).toMillis() >= cutoffMs) {
                    files.add(p);
                }
            }
        }
        if (files.isEmpty()) {
            throw new InvalidJobException(
                    "--recordings-dir: no .xdf file in "
                            + dir
                            + (since == null ? "" : " modified within the last " + since));
        }
        files.sort(
                java.util.Comparator.comparing(
                        (Path p) -> {
                            try {
                                return Files.getLastModifiedTime(p).toMillis();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }));
        return files;
    }

    /**
     * Parses {@code 24h}, {@code 90m}, {@code 3600s} or {@code 2d}.
     *
     * @throws InvalidJobException naming the option
     */
    public static java.time.Duration parseSince(String text) {
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("([0-9]+)([smhd])").matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new InvalidJobException(
                    "--since: a positive duration such as 24h, 90m, 3600s or 2d, got '"
                            + text
                            + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofDays(n);
        };
    }

    /** Reads a config file, or null. */
    public static String readConfig(Path file) throws IOException {
        if (file == null) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidJobException("--config: file " + file + " does not exist");
        }
        return Files.readString(file);
    }
}
