package org.spikeloop.app.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spikeloop.adapters.sim.CenterOutTask;
import org.spikeloop.adapters.sim.RigConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench decode}: the decoding benchmark on the simulated rigs through a drift
 * event. Intracortical: Kalman, Wiener, the SG-BPTT-trained SNN frozen and the same SNN with e-prop
 * online, scored by R² before, right after and 60 s after a rotation of preferred directions, and
 * the time to recover. EEG: CSP+LDA and the SG-BPTT-trained spiking classifier ({@link
 * EegSnnClassifier}), accuracy around an amplitude/impedance shift. Writes a PNG of sliding-window
 * R² and (unless {@code --no-doc}) replaces the "Decoding benchmark" section of docs/benchmarks.md.
 * With {@code --json} stdout carries exactly one JSON object; progress goes to stderr.
 */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description =
                "Decoders on the simulated rigs through a drift event (R², accuracy, recovery).")
public final class DecodeBenchCommand implements Callable<Integer> {
    static final String HEADING = "## Decoding benchmark";

    @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Simulation seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--train-s",
            paramLabel = "S",
            defaultValue = "120",
            description = "Seconds of training data. Default: ${DEFAULT-VALUE}.")
    double trainS;

    @Option(
            names = "--before-s",
            paramLabel = "S",
            defaultValue = "60",
            description = "Seconds evaluated before the drift. Default: ${DEFAULT-VALUE}.")
    double beforeS;

    @Option(
            names = "--after-s",
            paramLabel = "S",
            defaultValue = "120",
            description = "Seconds evaluated after the drift. Default: ${DEFAULT-VALUE}.")
    double afterS;

    @Option(
            names = "--rotation-deg",
            paramLabel = "DEG",
            defaultValue = "30",
            description = "Rotation of preferred directions, degrees. Default: ${DEFAULT-VALUE}.")
    double driftDeg;

    @Option(
            names = "--r2-window-s",
            paramLabel = "S",
            defaultValue = "20",
            description = "Window of the R² scores, seconds. Default: ${DEFAULT-VALUE}.")
    double windowS;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "128",
            description = "Hidden (recurrent) neurons of the SNN. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "20",
            description = "SG-BPTT epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--no-snn", description = "Skip the spiking decoders (baselines only).")
    boolean noSnn;

    @Option(
            names = "--eeg-train-trials",
            paramLabel = "N",
            defaultValue = "60",
            description = "EEG training trials. Default: ${DEFAULT-VALUE}.")
    int eegTrainTrials;

    @Option(
            names = "--eeg-before-s",
            paramLabel = "S",
            defaultValue = "240",
            description = "Seconds of EEG evaluated before the drift. Default: ${DEFAULT-VALUE}.")
    double eegBeforeS;

    @Option(
            names = "--eeg-after-s",
            paramLabel = "S",
            defaultValue = "240",
            description = "Seconds of EEG evaluated after the drift. Default: ${DEFAULT-VALUE}.")
    double eegAfterS;

    @Option(
            names = "--eeg-hidden",
            paramLabel = "N",
            defaultValue = "32",
            description = "Hidden ALIF neurons of the EEG SNN. Default: ${DEFAULT-VALUE}.")
    int eegHidden;

    @Option(
            names = "--eeg-epochs",
            paramLabel = "N",
            defaultValue = "10",
            description = "SG-BPTT epochs of the EEG SNN. Default: ${DEFAULT-VALUE}.")
    int eegEpochs;

    @Option(
            names = "--png",
            paramLabel = "FILE",
            description = "Plot file. Default: <home>/docs/img/decode-r2.png.")
    Path png;

    @Option(
            names = "--doc",
            paramLabel = "FILE",
            description =
                    "Markdown file whose '## Decoding benchmark' section is replaced. Default:"
                            + " <home>/docs/benchmarks.md.")
    Path doc;

    @Option(names = "--no-doc", description = "Do not touch the markdown file.")
    boolean noDoc;

    @Mixin JsonOutput output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();
        validate();
        Path home = Path.of(System.getenv().getOrDefault("SPIKELOOP_HOME", "."));
        Path pngFile = png != null ? png : home.resolve("docs/img/decode-r2.png");
        Path docFile = doc != null ? doc : home.resolve("docs/benchmarks.md");

        IntracorticalDecodeBench.Settings ic =
                new IntracorticalDecodeBench.Settings(
                        seed, trainS, beforeS, afterS, driftDeg, windowS);
        RigConfig rig = RigConfig.defaults(seed);
        double peakSpeed =
                new CenterOutTask(rig.reachRadiusM(), rig.movementS(), seed).peakSpeedMps();
        IntracorticalDecodeBench.SnnFactory snn =
                noSnn
                        ? (training, frameS, missing) -> {
                            missing.put(SnnDecoders.FROZEN, "skipped (--no-snn)");
                            missing.put(SnnDecoders.EPROP, "skipped (--no-snn)");
                            return List.of();
                        }
                        : new SnnDecoders(seed, hidden, epochs, peakSpeed, err);
        IntracorticalDecodeBench.Outcome intracortical =
                new IntracorticalDecodeBench(ic).run(snn, err);
        EegSnnClassifier.Settings d = EegSnnClassifier.Settings.defaults(seed);
        EegSnnClassifier.Settings eegSnn =
                noSnn
                        ? null
                        : new EegSnnClassifier.Settings(
                                eegHidden,
                                eegEpochs,
                                d.featureRateHz(),
                                d.powerWindowS(),
                                d.normaliserTimeConstantS(),
                                seed);
        List<EegDecodeBench.Outcome> eeg =
                new EegDecodeBench(
                                new EegDecodeBench.Settings(
                                        seed,
                                        eegTrainTrials,
                                        eegBeforeS,
                                        eegAfterS,
                                        eegSnn,
                                        eegSnn != null))
                        .run(err);

        Map<String, double[]> series = new LinkedHashMap<>();
        for (DecodeResult r : intracortical.results()) {
            series.put(r.name(), r.scores().sliding());
        }
        R2Plot.write(
                pngFile,
                String.format(
                        Locale.ROOT,
                        "Sliding %.0f-s R² of velocity decoders, %.0f° rotation at %.0f s (seed %d)",
                        windowS,
                        driftDeg,
                        beforeS,
                        seed),
                series,
                IntracorticalDecodeBench.BIN_S,
                beforeS);
        String command = commandLine();
        JsonObject result = toJson(intracortical, eeg, pngFile, command);
        if (!noDoc) {
            Path relativePng =
                    docFile.toAbsolutePath().getParent().relativize(pngFile.toAbsolutePath());
            MarkdownSection.replaceInFile(
                    docFile, HEADING, markdown(intracortical, eeg, relativePng, command));
            err.println("bench decode: wrote " + docFile);
        }
        err.println("bench decode: wrote " + pngFile);
        if (output.json) {
            out.println(new GsonBuilder().serializeNulls().create().toJson(result));
        } else {
            out.println(markdown(intracortical, eeg, pngFile, command));
        }
        out.flush();
        return 0;
    }

    private void validate() {
        if (!(trainS >= 10) || !(beforeS >= windowS) || !(afterS >= windowS) || !(windowS > 0)) {
            throw new IllegalArgumentException(
                    "need --train-s >= 10 and --before-s, --after-s >= --r2-window-s > 0");
        }
        if (hidden < 1 || epochs < 1 || eegTrainTrials < 4 || eegHidden < 1 || eegEpochs < 1) {
            throw new IllegalArgumentException(
                    "need --hidden >= 1, --epochs >= 1, --eeg-train-trials >= 4, --eeg-hidden >= 1,"
                            + " --eeg-epochs >= 1");
        }
    }

    private String commandLine() {
        StringBuilder b = new StringBuilder("./spikeloop");
        for (String arg : commandSpec.commandLine().getParseResult().originalArgs()) {
            b.append(' ').append(arg);
        }
        return b.toString();
    }

    private static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(round(v)) : JsonNull.INSTANCE;
    }

    private static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    private JsonObject toJson(
            IntracorticalDecodeBench.Outcome ic,
            List<EegDecodeBench.Outcome> eeg,
            Path pngFile,
            String command) {
        JsonObject root = new JsonObject();
        root.addProperty("benchmark", "decode");
        root.addProperty("command", command);
        root.addProperty("seed", seed);
        JsonObject defs = new JsonObject();
        defs.addProperty("r2", "per-dimension 1 − SSE/SST on 50-ms bins, averaged over vx, vy");
        defs.addProperty("r2_before", "R² over the " + windowS + " s before the drift");
        defs.addProperty("r2_after", "R² over the " + windowS + " s right after the drift");
        defs.addProperty("r2_60s", "R² over the " + windowS + " s ending 60 s after the drift");
        defs.addProperty(
                "recovery_s",
                "s after the drift until a sliding "
                        + windowS
                        + "-s R² wholly after it is within 0.05 of r2_before; null = never");
        defs.addProperty(
                "accuracy_before", "EEG: share of trials classified right before the drift");
        defs.addProperty("accuracy_after", "EEG: same, trials decided in the first 60 s after it");
        defs.addProperty("accuracy_60s", "EEG: same, trials decided later than 60 s after it");
        defs.addProperty("accuracy_all", "EEG: same, every evaluation trial");
        root.add("definitions", defs);

        JsonObject intracortical = new JsonObject();
        intracortical.addProperty(
                "drift",
                String.format(
                        Locale.ROOT,
                        "rotate preferred directions %.0f° at %.0f s",
                        driftDeg,
                        beforeS));
        intracortical.addProperty("train_s", trainS);
        intracortical.addProperty("eval_s", beforeS + afterS);
        JsonObject decoders = new JsonObject();
        for (DecodeResult r : ic.results()) {
            JsonObject d = new JsonObject();
            d.add("r2_before", number(r.scores().r2Before()));
            d.add("r2_after", number(r.scores().r2After()));
            d.add("r2_60s", number(r.scores().r2At60s()));
            d.add(
                    "recovery_s",
                    r.scores().recoveryS() == null
                            ? JsonNull.INSTANCE
                            : number(r.scores().recoveryS()));
            d.add("fit_wall_s", number(r.trainS()));
            d.add("run_wall_s", number(r.runS()));
            decoders.add(r.name(), d);
        }
        intracortical.add("decoders", decoders);
        intracortical.add("missing", missing(ic.missing()));
        root.add("intracortical", intracortical);

        JsonObject eegJson = new JsonObject();
        eegJson.addProperty(
                "drift",
                String.format(
                        Locale.ROOT,
                        "amplitude ×0.6 and C3/C4 impedance (+8 µV noise, 20 µV mains) at %.0f s",
                        eegBeforeS));
        JsonObject eegDecoders = new JsonObject();
        for (EegDecodeBench.Outcome o : eeg) {
            JsonObject d = new JsonObject();
            d.add("accuracy_before", number(o.accuracyBefore()));
            d.add("accuracy_after", number(o.accuracyAfter()));
            d.add("accuracy_60s", number(o.accuracyLater()));
            d.add("accuracy_all", number(o.accuracyAll()));
            d.add("recovery_s", JsonNull.INSTANCE);
            d.addProperty("trials_before", o.trialsBefore());
            d.addProperty("trials_after", o.trialsAfter());
            d.addProperty("trials_60s", o.trialsLater());
            eegDecoders.add(o.name(), d);
        }
        eegJson.add("decoders", eegDecoders);
        Map<String, String> eegMissing = new LinkedHashMap<>();
        if (noSnn) {
            eegMissing.put(EegSnnClassifier.NAME, "skipped (--no-snn)");
            eegMissing.put(EegSnnClassifier.EPROP_NAME, "skipped (--no-snn)");
        }
        eegJson.add("missing", missing(eegMissing));
        root.add("eeg", eegJson);
        root.addProperty("plot", pngFile.toString());
        return root;
    }

    /** The EEG target (SNN accuracy ≥ CSP+LDA), judged from the figures just measured. */
    static String eegTarget(List<EegDecodeBench.Outcome> eeg) {
        EegDecodeBench.Outcome csp = null;
        EegDecodeBench.Outcome snn = null;
        for (EegDecodeBench.Outcome o : eeg) {
            if (o.name().equals("csp_lda")) {
                csp = o;
            } else if (o.name().equals(EegSnnClassifier.NAME)) {
                snn = o;
            }
        }
        if (csp == null || snn == null) {
            return "\nTarget (issue 7), SNN accuracy ≥ CSP+LDA: not measured (SNN skipped).\n";
        }
        return String.format(
                Locale.ROOT,
                "%nTarget (issue 7), SNN accuracy ≥ CSP+LDA: over all trials %s (%.3f vs %.3f);"
                        + " before the drift %s (%.3f vs %.3f); first 60 s after it %s (%.3f vs"
                        + " %.3f); later %s (%.3f vs %.3f).%n",
                verdict(snn.accuracyAll(), csp.accuracyAll()),
                snn.accuracyAll(),
                csp.accuracyAll(),
                verdict(snn.accuracyBefore(), csp.accuracyBefore()),
                snn.accuracyBefore(),
                csp.accuracyBefore(),
                verdict(snn.accuracyAfter(), csp.accuracyAfter()),
                snn.accuracyAfter(),
                csp.accuracyAfter(),
                verdict(snn.accuracyLater(), csp.accuracyLater()),
                snn.accuracyLater(),
                csp.accuracyLater());
    }

    private static String verdict(double snn, double csp) {
        if (!Double.isFinite(snn) || !Double.isFinite(csp)) {
            return "no trials";
        }
        return snn >= csp ? "met" : "not met";
    }

    private static JsonObject missing(Map<String, String> missing) {
        JsonObject m = new JsonObject();
        missing.forEach(m::addProperty);
        return m;
    }

    private String markdown(
            IntracorticalDecodeBench.Outcome ic,
            List<EegDecodeBench.Outcome> eeg,
            Path pngPath,
            String command) {
        StringBuilder b = new StringBuilder();
        b.append("Made by `").append(command).append("` (seed ").append(seed).append(").\n\n");
        b.append(
                String.format(
                        Locale.ROOT,
                        "Intracortical: 96 cosine-tuned units at 1 kHz on a center-out task, %.0f s of"
                                + " training data, then %.0f s of evaluation with every preferred"
                                + " direction rotated by %.0f° at %.0f s. R² of 2-D velocity on 50-ms"
                                + " bins (mean over vx, vy) over %.0f-s windows: before the drift, right"
                                + " after it, and ending 60 s after it; recovery = seconds until a"
                                + " post-drift window is within 0.05 of the pre-drift R².%n%n",
                        trainS,
                        beforeS + afterS,
                        driftDeg,
                        beforeS,
                        windowS));
        b.append("| decoder | R² before | R² after | R² at 60 s | recovery (s) |\n");
        b.append("| --- | ---: | ---: | ---: | ---: |\n");
        for (DecodeResult r : ic.results()) {
            DriftScores s = r.scores();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.3f | %.3f | %.3f | %s |%n",
                            r.name(),
                            s.r2Before(),
                            s.r2After(),
                            s.r2At60s(),
                            s.recoveryS() == null
                                    ? "—"
                                    : String.format(Locale.ROOT, "%.1f", s.recoveryS())));
        }
        ic.missing()
                .forEach(
                        (name, why) ->
                                b.append("| ")
                                        .append(name)
                                        .append(" | missing: ")
                                        .append(why)
                                        .append(" | | | |\n"));
        b.append("\n![Sliding-window R² per decoder](")
                .append(pngPath.toString().replace('\\', '/'))
                .append(")\n\n");
        b.append(
                String.format(
                        Locale.ROOT,
                        "EEG: two-class motor imagery (22 channels, 250 Hz). CSP+LDA and the"
                                + " spiking classifier (snn_bptt: log mu/beta band power per channel"
                                + " at 50 Hz, running z-score, %d-neuron recurrent ALIF network"
                                + " trained with SG-BPTT for %d epochs, frozen) are fitted on the same"
                                + " %d trials and classify 0.5–2.5 s after each cue online (the"
                                + " readout averaged over that window); snn_eprop is the same network"
                                + " learning online with e-prop from each trial's label, given only"
                                + " after the trial was decided. Drift at %.0f s: amplitude ×0.6 and"
                                + " C3/C4 impedance up.%n%n",
                        eegHidden,
                        eegEpochs,
                        eegTrainTrials,
                        eegBeforeS));
        b.append("| decoder | accuracy before | first 60 s after | later | all trials |\n");
        b.append("| --- | ---: | ---: | ---: | ---: |\n");
        for (EegDecodeBench.Outcome o : eeg) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.3f (%d trials) | %.3f (%d) | %.3f (%d) | %.3f (%d) |%n",
                            o.name(),
                            o.accuracyBefore(),
                            o.trialsBefore(),
                            o.accuracyAfter(),
                            o.trialsAfter(),
                            o.accuracyLater(),
                            o.trialsLater(),
                            o.accuracyAll(),
                            o.trialsBefore() + o.trialsAfter() + o.trialsLater()));
        }
        if (noSnn) {
            b.append("| ").append(EegSnnClassifier.NAME).append(" | skipped (--no-snn) | | | |\n");
            b.append("| ")
                    .append(EegSnnClassifier.EPROP_NAME)
                    .append(" | skipped (--no-snn) | | | |\n");
        }
        b.append(eegTarget(eeg));
        return b.toString();
    }
}
