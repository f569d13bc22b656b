package org.spikeloop.server.jobs;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.spikeloop.learn.jobs.ClassificationOutcome;
import org.spikeloop.learn.jobs.ClassificationRecipe;
import org.spikeloop.learn.jobs.ClassificationReportPng;
import org.spikeloop.learn.jobs.JobProgressListener;
import org.spikeloop.learn.jobs.JobReportPng;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.learn.jobs.RegressionOutcome;
import org.spikeloop.learn.jobs.RegressionRecipe;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.TaskSpec;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.server.registry.Role;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * One offline SG-BPTT job: reads the XDF recordings, splits them by time (regression: {@link
 * RegressionRecipe}) or by trials (a classification task: {@link ClassificationRecipe}), trains
 * with early stopping, then registers the best parameters as a checkpoint (lineage: session,
 * parent, job, data range, creator), makes it the session's reference, and writes the report JSON
 * and PNG. The same class runs inside the server (on the job executor) and in {@code spikeloop
 * train --xdf}.
 *
 * <p>Order matters for "bad input leaves the registry unchanged": config, start checkpoint and data
 * are all checked, and training finishes, before the first write.
 *
 * <p>Threading: {@link #run} on one background thread; allocates freely.
 */
public final class TrainingJob {
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final String jobId;
    private final TrainingJobRequest request;
    private final CheckpointRegistry registry;
    private final int threads;

    /**
     * @param threads BPTT worker threads this job may use (its share of the job executor)
     */
    public TrainingJob(
            String jobId, TrainingJobRequest request, CheckpointRegistry registry, int threads) {
        if (jobId == null || !jobId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,100}")) {
            throw new InvalidJobException("job id: letters, digits, '.', '_', '-', got " + jobId);
        }
        this.jobId = jobId;
        this.request = request;
        this.registry = registry;
        this.threads = Math.max(1, threads);
    }

    public String id() {
        return jobId;
    }

    public TrainingJobRequest request() {
        return request;
    }

    /**
     * Runs the job.
     *
     * @throws InvalidJobException for bad input (nothing written)
     * @throws org.spikeloop.learn.jobs.JobCancelledException when cancelled (nothing written)
     */
    public JobResult run(JobProgressListener listener, BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        Checkpoint start = null;
        if (request.startCheckpointId() != null) {
            try {
                start = registry.load(request.startCheckpointId());
            } catch (RegistryException e) {
                throw new InvalidJobException("start checkpoint: " + e.getMessage(), e);
            }
        }
        JobConfig config =
                request.configJson() != null
                        ? JobDefaults.parse(request.configJson(), threads)
                        : JobDefaults.forArchitecture(start.spec(), threads);
        NetworkSpec spec = config.spec();
        if (start != null) {
            if (!SpecJson.write(start.spec()).equals(SpecJson.write(spec))) {
                throw new InvalidJobException(
                        "config.network differs from the start checkpoint's architecture ("
                                + spec.inputs()
                                + " inputs, "
                                + spec.outputs()
                                + " outputs vs "
                                + start.spec().inputs()
                                + ", "
                                + start.spec().outputs()
                                + ")");
            }
        }
        if (config.task().kind() == TaskSpec.Kind.CLASSIFICATION) {
            return classify(config, start, listener, cancelled, t0);
        }
        if (!RegressionRecipe.applies(config)) {
            throw new InvalidJobException(
                    "config: a regression job fits continuous labels with loss readout_mse on a"
                            + " leaky readout; got loss "
                            + config.json().getAsJsonObject("loss").get("name").getAsString()
                            + " and a "
                            + spec.readout().type()
                            + " readout (a classification job says so in task.kind)");
        }
        XdfTrainingData.Labelled labelled =
                XdfTrainingData.readLabelled(
                        request.recordings(),
                        request.inputsStream(),
                        request.labelsStream(),
                        request.fromS(),
                        request.toS(),
                        config.frontEnd(),
                        spec.inputs(),
                        spec.outputs());
        LabelledSequence data = labelled.sequence();
        int windowFrames =
                request.windowFrames() > 0
                        ? request.windowFrames()
                        : RegressionRecipe.Settings.defaults(spec.dtMs()).windowFrames();
        RegressionOutcome outcome;
        try {
            outcome =
                    RegressionRecipe.run(
                            config,
                            start != null ? start.params() : null,
                            data,
                            new RegressionRecipe.Settings(
                                    Double.isNaN(request.validationFraction())
                                            ? TrainingJobRequest.DEFAULT_VALIDATION_FRACTION
                                            : request.validationFraction(),
                                    RegressionRecipe.Settings.defaults(spec.dtMs())
                                            .innerValidationFraction(),
                                    windowFrames,
                                    request.patience()),
                            listener,
                            cancelled);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("data: " + e.getMessage(), e);
        }
        // ---- writes start here: everything above was checked ----
        DataRange range = range(data.firstS(), data.lastS());
        RegistryEntry entry =
                register(
                        spec,
                        outcome.params(),
                        start,
                        range,
                        JobScores.summary(outcome, labelled.outputNames()),
                        JobScores.scores(outcome, labelled.outputNames()));
        JsonObject report =
                JobScores.report(
                        jobId,
                        request,
                        config,
                        outcome,
                        labelled.outputNames(),
                        entry,
                        range,
                        windowFrames,
                        (System.nanoTime() - t0) / 1e9);
        Path reportPath = writeReport(report);
        Path plot =
                registry.writeReport(
                        jobId + ".png",
                        JobReportPng.render(
                                "SG-BPTT job " + jobId, outcome, labelled.outputNames()));
        return new JobResult(entry, outcome, null, labelled.outputNames(), reportPath, plot);
    }

    /** A classification job: trials from the marker stream, {@link ClassificationRecipe}. */
    private JobResult classify(
            JobConfig config,
            Checkpoint start,
            JobProgressListener listener,
            BooleanSupplier cancelled,
            long t0) {
        NetworkSpec spec = config.spec();
        TaskSpec task = config.task();
        XdfTrialData.Trials trials =
                XdfTrialData.read(
                        request.recordings(),
                        request.inputsStream(),
                        request.labelsStream(),
                        request.fromS(),
                        request.toS(),
                        config.frontEnd(),
                        spec.inputs(),
                        task.protocol());
        ClassificationRecipe.Settings defaults =
                ClassificationRecipe.Settings.defaults(spec.dtMs(), task.leadInS());
        ClassificationOutcome outcome;
        try {
            outcome =
                    ClassificationRecipe.run(
                            config,
                            start != null ? start.params() : null,
                            trials.sequence(),
                            new ClassificationRecipe.Settings(
                                    Double.isNaN(request.validationFraction())
                                            ? defaults.heldOutFraction()
                                            : request.validationFraction(),
                                    defaults.innerValidationFraction(),
                                    request.patience(),
                                    defaults.leadInFrames()),
                            listener,
                            cancelled);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("data: " + e.getMessage(), e);
        }
        // ---- writes start here: everything above was checked ----
        double[] stamps = trials.sequence().stampsS();
        DataRange range = range(stamps[0], stamps[stamps.length - 1]);
        RegistryEntry entry =
                register(
                        spec,
                        outcome.params(),
                        start,
                        range,
                        ClassificationScores.summary(outcome),
                        ClassificationScores.scores(outcome));
        JsonObject report =
                ClassificationScores.report(
                        jobId,
                        request,
                        config,
                        outcome,
                        trials,
                        entry,
                        range,
                        (System.nanoTime() - t0) / 1e9);
        Path reportPath = writeReport(report);
        Path plot =
                registry.writeReport(
                        jobId + ".png",
                        ClassificationReportPng.render("SG-BPTT job " + jobId, outcome));
        return new JobResult(entry, null, outcome, task.protocol().classNames(), reportPath, plot);
    }

    private DataRange range(double fromS, double toS) {
        List<String> files = new ArrayList<>();
        for (Path p : request.recordings()) {
            files.add(p.getFileName().toString());
        }
        return new DataRange(files, fromS, toS);
    }

    /** Registers the trained checkpoint with its lineage; makes it the session's reference. */
    private RegistryEntry register(
            NetworkSpec spec,
            NetworkParams params,
            Checkpoint start,
            DataRange range,
            String summary,
            java.util.Map<String, Double> scores) {
        String parent = start != null ? start.contentId() : null;
        Provenance prov =
                new Provenance(
                        Instant.now(),
                        request.creator(),
                        parent,
                        "sg-bptt job " + jobId + " on " + range.files(),
                        summary);
        Checkpoint trained;
        try {
            trained = Checkpoint.create(spec, params, prov);
        } catch (CheckpointException e) {
            throw new IllegalStateException("job " + jobId + ": " + e.getMessage(), e);
        }
        RegistryEntry entry =
                registry.register(
                        trained,
                        new Lineage(
                                request.sessionId(),
                                "job",
                                parent,
                                jobId,
                                range,
                                request.creator(),
                                "",
                                scores));
        if (!request.sessionId().isEmpty()) {
            registry.setRole(request.sessionId(), Role.REFERENCE, entry.id());
        }
        return entry;
    }

    private Path writeReport(JsonObject report) {
        return registry.writeReport(
                jobId + ".report.json", GSON.toJson(report).getBytes(StandardCharsets.UTF_8));
    }
}
