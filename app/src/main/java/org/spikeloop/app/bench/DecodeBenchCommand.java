package org.spikeloop.app.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench decode}: the decoding benchmark. Intracortical regression through the
 * product's public paths ({@link RegressionDecodeBench}: a demo-style session over LSL on a
 * paced-up simulated rig, recorded, then a training job through JobService on the recording; R² of
 * the job, its Kalman and Wiener baselines and the live e-prop session over the job's held-out
 * part, and the live decoder around the drift). Motor-imagery classification through the same kind
 * of paths ({@link MotorImageryDecodeBench}: simulated EEG and cue markers over LSL, an e-prop
 * session from a fresh network, a classification job on its recording, CSP+LDA on the same split),
 * with issue 21's conditions ({@link MotorImageryReport}). With {@code --json} stdout carries
 * exactly one JSON object; progress goes to stderr. Nothing is written into docs/ unless {@code
 * --write-docs} (then the "Decoding benchmark" section of docs/benchmarks.md and the PNG of the
 * live sliding R², docs/img/decode-r2.png). Failures exit 2 with one line on stderr.
 */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description = {
            "Decoding benchmark: a recorded demo-style session over LSL and a training job on its"
                    + " recording through JobService (R² of the job, Kalman, Wiener and the live"
                    + " e-prop session on the held-out part); motor-imagery classification: an e-prop"
                    + " session and a classification job on its recording against CSP+LDA.",
            "Writes into docs/ only with --write-docs."
        })
public final class DecodeBenchCommand implements Callable<Integer> {
    static final String HEADING = "## Decoding benchmark";

    @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Simulation seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--duration",
            defaultValue = "300",
            description = "Simulated seconds the session records. Default: ${DEFAULT-VALUE}.")
    double durationS;

    @Option(
            names = "--drift-at-s",
            description = "Simulated second of the rotation. Default: the middle of --duration.")
    Double driftAtS;

    @Option(
            names = "--rotation-deg",
            defaultValue = "30",
            description = "Rotation of preferred directions, degrees. Default: ${DEFAULT-VALUE}.")
    double rotationDeg;

    @Option(
            names = "--speed",
            defaultValue = "4",
            description =
                    "Pace of the simulated rig relative to real time (5 minutes take 75 s at 4)."
                            + " Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(
            names = "--hidden",
            defaultValue = "256",
            description =
                    "Hidden LIF neurons of the session's reference. Default: ${DEFAULT-VALUE}.")
    int neurons;

    @Option(
            names = "--train-s",
            defaultValue = "20",
            description =
                    "Seconds of calibration data for the reference readout. Default:"
                            + " ${DEFAULT-VALUE}.")
    double calibrationS;

    @Option(
            names = "--learning-rate",
            defaultValue = "2e-4",
            description = "The session's e-prop learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(
            names = "--update-interval",
            defaultValue = "100",
            description = "Steps between e-prop weight updates. Default: ${DEFAULT-VALUE}.")
    int updateIntervalSteps;

    @Option(
            names = "--job-config",
            paramLabel = "FILE",
            description =
                    "The training job's config. Default:"
                            + " <home>/examples/jobs/intracortical-regression.json.")
    Path jobConfig;

    @Option(
            names = "--r2-window-s",
            defaultValue = "20",
            description = "Window of the live R² around the drift, s. Default: ${DEFAULT-VALUE}.")
    double windowS;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description =
                    "Keep the server's files (recording, registry, job report and PNG) here."
                            + " Default: a temporary directory, removed at the end.")
    Path workDir;

    @Option(
            names = "--mi-trials",
            defaultValue = "40",
            description =
                    "Motor imagery: cue trials (even; the last half held out). Default:"
                            + " ${DEFAULT-VALUE}.")
    int miTrials;

    @Option(
            names = "--mi-erd",
            defaultValue = "0.4",
            description =
                    "Motor imagery: the simulator's event-related desynchronisation, the"
                            + " difficulty (lower is harder). Default: ${DEFAULT-VALUE}.")
    double miErd;

    @Option(
            names = "--mi-speed",
            defaultValue = "8",
            description =
                    "Motor imagery: pace of the EEG stream relative to real time. Default:"
                            + " ${DEFAULT-VALUE}.")
    double miSpeed;

    @Option(
            names = "--mi-job-config",
            paramLabel = "FILE",
            description =
                    "Motor imagery: the classification job's config. Default:"
                            + " <home>/examples/jobs/motor-imagery.json.")
    Path miJobConfig;

    @Option(
            names = "--mi-session-spec",
            paramLabel = "FILE",
            description =
                    "Motor imagery: the e-prop session's spec (its stream names are replaced)."
                            + " Default: <home>/examples/sessions/motor-imagery-lsl.json.")
    Path miSessionSpec;

    @Option(
            names = "--write-docs",
            description =
                    "Replace the '## Decoding benchmark' section of docs/benchmarks.md (or --doc) and"
                            + " write the PNG (default docs/img/decode-r2.png).")
    boolean writeDocs;

    @Option(
            names = "--png",
            description =
                    "Plot of the live session's sliding R² (written when given, or with"
                            + " --write-docs: <home>/docs/img/decode-r2.png).")
    Path png;

    @Option(
            names = "--doc",
            description =
                    "With --write-docs: the markdown file whose '## Decoding benchmark' section is"
                            + " replaced (default <home>/docs/benchmarks.md).")
    Path doc;

    @Option(
            names = "--no-doc",
            hidden = true,
            description = "Deprecated: docs are written only with --write-docs.")
    boolean noDoc;

    @Mixin JsonOutput output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();
        Path home = ShippedFiles.home();
        Path config =
                ShippedFiles.orShipped(jobConfig, "examples/jobs/intracortical-regression.json");
        Path miConfig = ShippedFiles.orShipped(miJobConfig, "examples/jobs/motor-imagery.json");
        Path miSpec =
                ShippedFiles.orShipped(miSessionSpec, "examples/sessions/motor-imagery-lsl.json");
        double driftAt = driftAtS != null ? driftAtS : durationS / 2;
        validate(config, driftAt, miConfig, miSpec);
        if (noDoc) {
            err.println(
                    "bench decode: --no-doc is deprecated: docs are written only with"
                            + " --write-docs");
        }
        Path pngFile =
                png != null ? png : writeDocs ? home.resolve("docs/img/decode-r2.png") : null;
        Path docFile = doc != null ? doc : home.resolve("docs/benchmarks.md");
        long t0 = System.nanoTime();

        RegressionDecodeBench.Outcome regression =
                new RegressionDecodeBench(
                                new RegressionDecodeBench.Settings(
                                        seed,
                                        durationS,
                                        driftAt,
                                        rotationDeg,
                                        speed,
                                        neurons,
                                        calibrationS,
                                        learningRate,
                                        updateIntervalSteps,
                                        config,
                                        windowS,
                                        workDir))
                        .run(err);
        MotorImageryDecodeBench.Settings miSettings =
                new MotorImageryDecodeBench.Settings(
                        seed,
                        miTrials,
                        miErd,
                        miSpeed,
                        miConfig,
                        miSpec,
                        workDir == null ? null : workDir.resolve("motor-imagery"));
        MotorImageryDecodeBench.Outcome mi = new MotorImageryDecodeBench(miSettings).run(err);
        double wallS = (System.nanoTime() - t0) / 1e9;

        if (pngFile != null) {
            R2Plot.write(
                    pngFile,
                    String.format(
                            Locale.ROOT,
                            "Sliding %.0f-s R² of the live e-prop session, %.0f° rotation at"
                                    + " %.0f s (seed %d)",
                            windowS,
                            rotationDeg,
                            driftAt,
                            seed),
                    Map.of("live (e-prop session)", regression.liveDrift().sliding()),
                    RegressionDecodeBench.BIN_S,
                    driftAt);
            err.println("bench decode: wrote " + pngFile);
        }
        String command = Invocation.of(commandSpec);
        JsonObject result = toJson(regression, driftAt, mi, miSettings, pngFile, command, wallS);
        if (writeDocs) {
            Path relativePng =
                    docFile.toAbsolutePath().getParent().relativize(pngFile.toAbsolutePath());
            MarkdownSection.replaceInFile(
                    docFile,
                    HEADING,
                    markdown(regression, driftAt, mi, miSettings, relativePng, command, wallS));
            err.println("bench decode: wrote " + docFile);
        }
        if (output.json) {
            out.println(new GsonBuilder().serializeNulls().create().toJson(result));
        } else {
            out.println(markdown(regression, driftAt, mi, miSettings, pngFile, command, wallS));
        }
        out.flush();
        return 0;
    }

    private void validate(Path config, double driftAt, Path miConfig, Path miSpec) {
        MotorImageryDecodeBench.checkTask(miTrials, miErd);
        if (!(miSpeed > 0) || Double.isInfinite(miSpeed)) {
            throw new IllegalArgumentException("need --mi-speed > 0, got " + miSpeed);
        }
        if (!(windowS > 0) || !(driftAt >= windowS) || !(driftAt + windowS <= durationS)) {
            throw new IllegalArgumentException(
                    "need --r2-window-s > 0 and --r2-window-s <= --drift-at-s <= --duration - --r2-window-s,"
                            + " got "
                            + windowS
                            + ", "
                            + driftAt
                            + ", "
                            + durationS);
        }
        if (!(speed > 0) || Double.isInfinite(speed) || !(calibrationS > 0)) {
            throw new IllegalArgumentException("need --speed > 0 and --train-s > 0");
        }
        if (neurons < 1 || !(learningRate > 0) || updateIntervalSteps < 1) {
            throw new IllegalArgumentException(
                    "need --hidden >= 1, --learning-rate > 0, --update-interval >= 1");
        }
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("--job-config: no file " + config);
        }
        if (!Files.isRegularFile(miConfig)) {
            throw new IllegalArgumentException("--mi-job-config: no file " + miConfig);
        }
        if (!Files.isRegularFile(miSpec)) {
            throw new IllegalArgumentException("--mi-session-spec: no file " + miSpec);
        }
        try {
            MotorImageryDecodeBench.sessionRequest(miSpec, "check", "check");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--mi-session-spec: cannot read " + miSpec + ": " + e);
        }
    }

    /** A figure of this benchmark's JSON: four decimals, null where it is not finite. */
    static JsonElement number(double v) {
        return Double.isFinite(v)
                ? new JsonPrimitive(Math.round(v * 10_000.0) / 10_000.0)
                : JsonNull.INSTANCE;
    }

    private JsonObject toJson(
            RegressionDecodeBench.Outcome r,
            double driftAt,
            MotorImageryDecodeBench.Outcome mi,
            MotorImageryDecodeBench.Settings miSettings,
            Path pngFile,
            String command,
            double wallS) {
        JsonObject root = new JsonObject();
        root.addProperty("benchmark", "decode");
        root.addProperty("command", command);
        root.addProperty("seed", seed);
        root.add("wall_s", number(wallS));
        root.add("job_r2", number(r.mean(RegressionDecodeBench.OutputScores::job)));
        root.add("kalman_r2", number(r.mean(RegressionDecodeBench.OutputScores::kalman)));
        root.add("wiener_r2", number(r.mean(RegressionDecodeBench.OutputScores::wiener)));
        root.add("live_r2", number(r.mean(RegressionDecodeBench.OutputScores::live)));
        JsonObject outputs = new JsonObject();
        for (RegressionDecodeBench.OutputScores o : r.outputs()) {
            JsonObject j = new JsonObject();
            j.add("job_r2", number(o.job()));
            j.add("kalman_r2", number(o.kalman()));
            j.add("wiener_r2", number(o.wiener()));
            j.add("live_r2", number(o.live()));
            outputs.add(o.name(), j);
        }
        root.add("outputs", outputs);
        root.add("recording_s", number(r.labelledFrames() / RegressionDecodeBench.RATE_HZ));
        root.addProperty("recording_frames", r.labelledFrames());
        root.add("held_out_from_s", number(r.heldOutFromS()));
        root.addProperty("held_out_frames", r.heldOutFrames());
        root.addProperty("live_frames", r.liveFrames());
        JsonObject targets = new JsonObject();
        targets.addProperty("job_r2 >= kalman_r2", jobBeatsKalman(r));
        targets.addProperty("job_r2 >= 0.95 * live_r2", jobMatchesLive(r));
        root.add("targets", targets);

        JsonObject defs = new JsonObject();
        defs.addProperty(
                "r2",
                "per output 1 − SSE/SST on 1-kHz frames of the job's held-out part (the last "
                        + Math.round(100 * RegressionDecodeBench.VALIDATION_FRACTION)
                        + " % of the recording); the top-level values average the outputs");
        defs.addProperty(
                "job_r2", "the training job's checkpoint, run causally from a zeroed state");
        defs.addProperty(
                "kalman_r2",
                "velocity Kalman filter fitted by the job on its training part (docs/jobs.md)");
        defs.addProperty("wiener_r2", "Wiener filter fitted the same way");
        defs.addProperty(
                "live_r2",
                "the recorded session's own outputs (reference checkpoint + e-prop, labels"
                        + " throughout) against the labels it learned from, same frames");
        defs.addProperty("live_drift", "the live session's R² of 50-ms bin means around the drift");
        defs.addProperty("r2_before", "R² over the " + windowS + " s before the drift");
        defs.addProperty("r2_after", "R² over the " + windowS + " s right after the drift");
        defs.addProperty("r2_60s", "R² over the " + windowS + " s ending 60 s after the drift");
        defs.addProperty(
                "recovery_s",
                "s after the drift until a sliding "
                        + windowS
                        + "-s R² wholly after it is within 0.05 of r2_before; null = never");
        defs.addProperty(
                "mi_*_acc",
                "motor imagery: share of the held-out trials (the last half) decided as their"
                        + " cue's class");
        defs.addProperty(
                "mi_max_class_share",
                "the largest share of held-out trials the job or the e-prop session gave one class");
        root.add("definitions", defs);

        JsonObject intracortical = new JsonObject();
        intracortical.addProperty(
                "rig",
                String.format(
                        Locale.ROOT,
                        "%d units at %.0f Hz (the demo's rig, seed %d, after its %.0f-s calibration"
                                + " block), published over LSL at %sx real time; preferred"
                                + " directions rotated %.0f° at %.0f s",
                        RegressionDecodeBench.UNITS,
                        RegressionDecodeBench.RATE_HZ,
                        seed,
                        calibrationS,
                        BigDecimal.valueOf(speed).stripTrailingZeros().toPlainString(),
                        rotationDeg,
                        driftAt));
        JsonObject session = new JsonObject();
        session.addProperty(
                "decoder",
                String.format(
                        Locale.ROOT,
                        "the demo's reference: 96 -> %d LIF -> 2, least-squares readout on %.0f s;"
                                + " e-prop lr %s, update every %d steps",
                        neurons,
                        calibrationS,
                        BigDecimal.valueOf(learningRate).stripTrailingZeros().toPlainString(),
                        updateIntervalSteps));
        session.addProperty("samples_published", r.published());
        session.addProperty("steps", r.session().getSteps());
        session.addProperty("samples_dropped", r.session().getSamplesDropped());
        session.addProperty("labels_in", r.labelsIn());
        session.addProperty("deadline_misses", r.session().getDeadlineMisses());
        session.addProperty("learning_updates", r.session().getLearningUpdates());
        session.add("stream_wall_s", number(r.streamWallS()));
        intracortical.add("session", session);
        JsonObject live = new JsonObject();
        DriftScores ds = r.liveDrift();
        live.add("r2_before", number(ds.r2Before()));
        live.add("r2_after", number(ds.r2After()));
        live.add("r2_60s", number(ds.r2At60s()));
        live.add("recovery_s", ds.recoveryS() == null ? JsonNull.INSTANCE : number(ds.recoveryS()));
        intracortical.add("live_drift", live);
        JsonObject job = new JsonObject();
        job.addProperty("id", r.job().getId());
        job.addProperty("config", jobConfigName());
        job.addProperty("summary", r.job().getSummary());
        job.addProperty("checkpoint", r.job().getCheckpointId());
        JsonObject choices = r.report().getAsJsonObject("choices");
        job.add("input_gain", choices.get("inputGain"));
        // The report's times are on the recording's (paced-up) LSL clock: back to simulated s.
        job.add("train_from_s", number(choices.get("trainFromS").getAsDouble() * speed));
        job.add("best_epoch", r.report().getAsJsonObject("epochs").get("bestEpoch"));
        job.add("stopped_early", r.report().getAsJsonObject("epochs").get("stoppedEarly"));
        job.add("baselines", r.report().getAsJsonObject("scores").get("baselines"));
        job.add("wall_s", number(r.jobWallS()));
        intracortical.add("job", job);
        root.add("intracortical", intracortical);

        MotorImageryReport.addJson(root, mi, miSettings, miJobConfigName(), miSessionSpecName());
        root.addProperty("plot", pngFile == null ? null : pngFile.toString());
        return root;
    }

    private static boolean jobBeatsKalman(RegressionDecodeBench.Outcome r) {
        return r.mean(RegressionDecodeBench.OutputScores::job)
                >= r.mean(RegressionDecodeBench.OutputScores::kalman);
    }

    private static boolean jobMatchesLive(RegressionDecodeBench.Outcome r) {
        return r.mean(RegressionDecodeBench.OutputScores::job)
                >= 0.95 * r.mean(RegressionDecodeBench.OutputScores::live);
    }

    private String miJobConfigName() {
        return miJobConfig != null ? miJobConfig.toString() : "examples/jobs/motor-imagery.json";
    }

    private String miSessionSpecName() {
        return miSessionSpec != null
                ? miSessionSpec.toString()
                : "examples/sessions/motor-imagery-lsl.json";
    }

    private String jobConfigName() {
        return jobConfig != null
                ? jobConfig.toString()
                : "examples/jobs/intracortical-regression.json";
    }

    private String markdown(
            RegressionDecodeBench.Outcome r,
            double driftAt,
            MotorImageryDecodeBench.Outcome mi,
            MotorImageryDecodeBench.Settings miSettings,
            Path pngPath,
            String command,
            double wallS) {
        StringBuilder b = new StringBuilder();
        b.append("Made by `")
                .append(command)
                .append("` (seed ")
                .append(seed)
                .append(String.format(Locale.ROOT, ", %.0f s wall).%n%n", wallS));
        b.append(
                String.format(
                        Locale.ROOT,
                        "Intracortical regression, through the public paths: the server on loopback,"
                                + " the demo's simulated rig (%d units at 1 kHz, seed %d) published"
                                + " over LSL at %sx real time for %.0f s of data with every preferred"
                                + " direction rotated by %.0f° at %.0f s, decoded by a demo-style"
                                + " session (the demo's least-squares reference, 96 → %d LIF → 2, and"
                                + " e-prop with its kinematics labels over LSL throughout) that the"
                                + " server records; then a training job through JobService on that"
                                + " recording with `%s`. R² per output on the job's held-out part (the"
                                + " last 25 %%, %d frames from %.1f s): the job's checkpoint, the Kalman"
                                + " and Wiener filters the job fitted on its training part, and the live"
                                + " session's own recorded outputs on the same frames.%n%n",
                        RegressionDecodeBench.UNITS,
                        seed,
                        BigDecimal.valueOf(speed).stripTrailingZeros().toPlainString(),
                        durationS,
                        rotationDeg,
                        driftAt,
                        neurons,
                        jobConfigName(),
                        r.heldOutFrames(),
                        r.heldOutFromS()));
        b.append("| output | job | Kalman | Wiener | live (e-prop session) |\n");
        b.append("| --- | ---: | ---: | ---: | ---: |\n");
        for (RegressionDecodeBench.OutputScores o : r.outputs()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.3f | %.3f | %.3f | %.3f |%n",
                            o.name(),
                            o.job(),
                            o.kalman(),
                            o.wiener(),
                            o.live()));
        }
        b.append(
                String.format(
                        Locale.ROOT,
                        "| mean | **%.3f** | %.3f | %.3f | %.3f |%n%n",
                        r.mean(RegressionDecodeBench.OutputScores::job),
                        r.mean(RegressionDecodeBench.OutputScores::kalman),
                        r.mean(RegressionDecodeBench.OutputScores::wiener),
                        r.mean(RegressionDecodeBench.OutputScores::live)));
        b.append(
                String.format(
                        Locale.ROOT,
                        "Targets (issue 14): job ≥ Kalman %s; job ≥ 0.95 × live %s. The session: %d"
                                + " steps, %d samples dropped, %d learning updates; the job: %s (%.0f s)."
                                + " The live decoder around the drift (R² of 50-ms bin means over %.0f-s"
                                + " windows): %.3f before, %.3f right after, %.3f 60 s after%s.%n%n",
                        jobBeatsKalman(r) ? "met" : "not met",
                        jobMatchesLive(r) ? "met" : "not met",
                        r.session().getSteps(),
                        r.session().getSamplesDropped(),
                        r.session().getLearningUpdates(),
                        r.job().getSummary(),
                        r.jobWallS(),
                        windowS,
                        r.liveDrift().r2Before(),
                        r.liveDrift().r2After(),
                        r.liveDrift().r2At60s(),
                        r.liveDrift().recoveryS() == null
                                ? ", not back within 0.05 of before"
                                : String.format(
                                        Locale.ROOT,
                                        ", back within 0.05 of before after %.1f s",
                                        r.liveDrift().recoveryS())));
        if (pngPath != null) {
            b.append("![Sliding-window R² of the live session](")
                    .append(pngPath.toString().replace('\\', '/'))
                    .append(")\n\n");
        }
        b.append(
                MotorImageryReport.markdown(
                        mi, miSettings, miJobConfigName(), miSessionSpecName()));
        return b.toString();
    }
}
