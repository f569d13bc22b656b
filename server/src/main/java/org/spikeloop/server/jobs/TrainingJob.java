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
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.jobs.EarlyStopping;
import org.spikeloop.learn.jobs.EarlyStoppingTrainer;
import org.spikeloop.learn.jobs.JobOutcome;
import org.spikeloop.learn.jobs.JobProgressListener;
import org.spikeloop.learn.jobs.JobReportPng;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.learn.jobs.TimeSplit;
import org.spikeloop.learn.jobs.Windows;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.server.registry.Role;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * One offline SG-BPTT job: reads the XDF recordings, splits them by time, trains with early
 * stopping, then registers the best parameters as a checkpoint (lineage: session, parent, job, data
 * range, creator), makes it the session's reference, and writes the report JSON and PNG. The same
 * class runs inside the server (on the job executor) and in {@code spikeloop train --xdf}.
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
        LabelledSequence data =
                XdfTrainingData.read(
                        request.recordings(),
                        request.inputsStream(),
                        request.labelsStream(),
                        request.fromS(),
                        request.toS(),
                        spec.inputs(),
                        spec.outputs());
        TimeSplit.Parts parts;
        Batch train;
        Batch validation;
        try {
            parts = TimeSplit.split(data, request.validationFraction(), request.windowFrames());
            train = Windows.batch(parts.train(), request.windowFrames());
            validation = Windows.batch(parts.validation(), request.windowFrames());
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("data: " + e.getMessage(), e);
        }
        NetworkParams params =
                start != null ? start.params() : Initializer.initialise(spec, config.init());
        JobOutcome outcome =
                EarlyStoppingTrainer.run(
                        config,
                        params,
                        train,
                        validation,
                        parts.validation(),
                        new EarlyStopping(request.patience(), 0.0),
                        listener,
                        cancelled);
        // ---- writes start here: everything above was checked ----
        List<String> files = new ArrayList<>();
        for (Path p : request.recordings()) {
            files.add(p.getFileName().toString());
        }
        DataRange range = new DataRange(files, data.firstS(), data.lastS());
        String parent = start != null ? start.contentId() : null;
        Provenance prov =
                new Provenance(
                        Instant.now(),
                        request.creator(),
                        parent,
                        "sg-bptt job " + jobId + " on " + files,
                        String.format(
                                java.util.Locale.ROOT,
                                "held-out mse %.6g -> %.6g, r2 %.4f",
                                outcome.initialScore().mse(),
                                outcome.finalScore().mse(),
                                outcome.finalScore().r2()));
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
                                request.creator()));
        if (!request.sessionId().isEmpty()) {
            registry.setRole(request.sessionId(), Role.REFERENCE, entry.id());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonObject report = report(config, outcome, entry, range, parts, seconds);
        Path reportPath =
                registry.writeReport(
                        jobId + ".report.json",
                        GSON.toJson(report).getBytes(StandardCharsets.UTF_8));
        Path plot =
                registry.writeReport(
                        jobId + ".png",
                        JobReportPng.render("SG-BPTT job " + jobId, outcome, parts.validation()));
        return new JobResult(entry, outcome, reportPath, plot);
    }

    private JsonObject report(
            JobConfig config,
            JobOutcome o,
            RegistryEntry entry,
            DataRange range,
            TimeSplit.Parts parts,
            double seconds) {
        JsonObject j = new JsonObject();
        j.addProperty("job", jobId);
        j.addProperty("session", request.sessionId());
        j.addProperty("creator", request.creator());
        j.addProperty("checkpoint", entry.id());
        j.addProperty("parent", entry.lineage().parentId());
        j.add("config", config.json());
        JsonObject d = new JsonObject();
        d.add("files", GSON.toJsonTree(range.files()));
        d.addProperty("inputsStream", request.inputsStream());
        d.addProperty("labelsStream", request.labelsStream());
        d.addProperty("fromS", range.fromS());
        d.addProperty("toS", range.toS());
        d.addProperty("trainFrames", parts.train().frames());
        d.addProperty("trainUntilS", parts.train().lastS());
        d.addProperty("validationFrames", parts.validation().frames());
        d.addProperty("validationFromS", parts.validation().firstS());
        d.addProperty("windowFrames", request.windowFrames());
        j.add("data", d);
        j.add("trainLoss", GSON.toJsonTree(o.trainLoss()));
        j.add("validationLoss", GSON.toJsonTree(o.validationLoss()));
        j.add("validationR2", GSON.toJsonTree(o.validationR2()));
        j.addProperty("bestEpoch", o.bestEpoch());
        j.addProperty("stoppedEarly", o.stoppedEarly());
        JsonObject scores = new JsonObject();
        scores.addProperty("initialHeldOutMse", o.initialScore().mse());
        scores.addProperty("initialHeldOutR2", o.initialScore().r2());
        scores.addProperty("heldOutMse", o.finalScore().mse());
        scores.addProperty("heldOutR2", o.finalScore().r2());
        j.add("scores", scores);
        j.addProperty("trainingSeconds", o.seconds());
        j.addProperty("durationSeconds", seconds);
        return j;
    }
}
