package org.spikeloop.app.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench robustness}: how decoders trained on clean data hold up under recording
 * artifacts. For intracortical regression ({@link RegressionRobustness}) and motor-imagery
 * classification ({@link ClassificationRobustness}), the held-out R² / accuracy of plain SG-BPTT,
 * SG-BPTT with the information-bottleneck regulariser, the ANN-to-SNN conversion baseline at T =
 * 10, 50 and 200 sub-steps per decision (and the ANN itself), and the Kalman (and Wiener) filter or
 * CSP+LDA — clean and under each artifact of {@code org.spikeloop.signal.artifacts} at its stated
 * strength. Accuracy figures, not timings: the data are simulated in process and the training jobs
 * run on the caller's thread through the job recipes. With {@code --json} stdout carries exactly
 * one JSON object; progress goes to stderr. Failures exit 2 with one line on stderr.
 */
@Command(
        name = "robustness",
        mixinStandardHelpOptions = true,
        description = {
            "Robustness benchmark: held-out R² (simulated intracortical regression) and accuracy"
                    + " (simulated motor imagery) of SG-BPTT, SG-BPTT + information bottleneck,"
                    + " the ANN-to-SNN conversion at T = 10/50/200 and Kalman / CSP+LDA, clean and"
                    + " under EMG bursts, electrode pops, 50-Hz line noise, a dead channel,"
                    + " spurious spike bursts and an FGSM perturbation.",
        })
public final class RobustnessBenchCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Simulation and training seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--duration",
            defaultValue = "120",
            description =
                    "Simulated seconds of intracortical data (the last quarter held out). Default:"
                            + " ${DEFAULT-VALUE}.")
    double durationS;

    @Option(
            names = "--hidden",
            defaultValue = "64",
            description = "Hidden LIF neurons of the regression jobs. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(
            names = "--epochs",
            defaultValue = "6",
            description =
                    "SG-BPTT epochs of the regression jobs (early stopping may end sooner)."
                            + " Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--ib-weight",
            defaultValue = "0.005",
            description =
                    "β of the information_bottleneck regulariser (docs/jobs.md). Default:"
                            + " ${DEFAULT-VALUE}.")
    double ibWeight;

    @Option(
            names = "--ib-prior-hz",
            defaultValue = "5",
            description = "Its prior rate, Hz. Default: ${DEFAULT-VALUE}.")
    double ibPriorHz;

    @Option(
            names = "--fgsm-eps-sd",
            defaultValue = "0.2",
            description =
                    "FGSM step ε, in units of each input channel's σ (L∞ bound). Default:"
                            + " ${DEFAULT-VALUE}.")
    double fgsmEpsSd;

    @Option(
            names = "--job-config",
            paramLabel = "FILE",
            description =
                    "The regression jobs' config (its hidden size and epochs are replaced). Default:"
                            + " <home>/examples/jobs/intracortical-regression.json.")
    Path jobConfig;

    @Option(
            names = "--mi-trials",
            defaultValue = "120",
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
            names = "--mi-job-config",
            paramLabel = "FILE",
            description =
                    "Motor imagery: the classification jobs' config. Default:"
                            + " <home>/examples/jobs/motor-imagery.json.")
    Path miJobConfig;

    @Mixin JsonOutput output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();
        Path config =
                ShippedFiles.orShipped(jobConfig, "examples/jobs/intracortical-regression.json");
        Path miConfig = ShippedFiles.orShipped(miJobConfig, "examples/jobs/motor-imagery.json");
        validate(config, miConfig);
        long t0 = System.nanoTime();
        String started = Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
        RobustnessScores regression =
                new RegressionRobustness(
                                new RegressionRobustness.Settings(
                                        seed,
                                        durationS,
                                        hidden,
                                        epochs,
                                        ibWeight,
                                        ibPriorHz,
                                        fgsmEpsSd,
                                        Files.readString(config)))
                        .run(err);
        RobustnessScores classification =
                new ClassificationRobustness(
                                new ClassificationRobustness.Settings(
                                        seed,
                                        miTrials,
                                        miErd,
                                        ibWeight,
                                        ibPriorHz,
                                        fgsmEpsSd,
                                        Files.readString(miConfig)))
                        .run(err);
        double wallS = (System.nanoTime() - t0) / 1e9;
        String command = Invocation.of(commandSpec);
        if (output.json) {
            JsonObject root = new JsonObject();
            root.addProperty("benchmark", "robustness");
            root.addProperty("command", command);
            root.addProperty("started", started);
            root.addProperty("seed", seed);
            root.add("wall_s", number(wallS));
            root.add("regression", toJson(regression));
            root.add("classification", toJson(classification));
            root.add("definitions", definitions());
            out.println(new GsonBuilder().serializeNulls().create().toJson(root));
        } else {
            out.println(markdown(regression, classification, command, started, wallS));
        }
        out.flush();
        return 0;
    }

    private void validate(Path config, Path miConfig) {
        MotorImageryDecodeBench.checkTask(miTrials, miErd);
        if (!(durationS >= 20 && durationS <= 3600)) {
            throw new IllegalArgumentException(
                    "need --duration within [20, 3600] s, got " + durationS);
        }
        if (hidden < 1 || epochs < 1) {
            throw new IllegalArgumentException("need --hidden >= 1 and --epochs >= 1");
        }
        if (!(ibWeight >= 0) || Double.isInfinite(ibWeight)) {
            throw new IllegalArgumentException("need a finite --ib-weight >= 0, got " + ibWeight);
        }
        if (!(fgsmEpsSd >= 0) || Double.isInfinite(fgsmEpsSd)) {
            throw new IllegalArgumentException(
                    "need a finite --fgsm-eps-sd >= 0, got " + fgsmEpsSd);
        }
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("--job-config: no file " + config);
        }
        if (!Files.isRegularFile(miConfig)) {
            throw new IllegalArgumentException("--mi-job-config: no file " + miConfig);
        }
    }

    private static com.google.gson.JsonElement number(double v) {
        if (!Double.isFinite(v)) {
            return JsonNull.INSTANCE;
        }
        return new JsonPrimitive(
                BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros());
    }

    static JsonObject toJson(RobustnessScores r) {
        JsonObject o = new JsonObject();
        o.addProperty("metric", r.metric());
        JsonObject strengths = new JsonObject();
        r.strengths().forEach(strengths::addProperty);
        o.add("artifacts", strengths);
        JsonObject scores = new JsonObject();
        for (Map.Entry<String, Map<String, Double>> c : r.scores().entrySet()) {
            JsonObject row = new JsonObject();
            c.getValue().forEach((k, v) -> row.add(k, number(v)));
            scores.add(c.getKey(), row);
        }
        o.add("scores", scores);
        JsonObject winners = new JsonObject();
        for (String c : r.scores().keySet()) {
            JsonObject w = new JsonObject();
            w.addProperty("objective", r.objectiveWinner(c));
            w.addProperty("decoder", r.bestDecoder(c));
            winners.add(c, w);
        }
        o.add("winners", winners);
        JsonObject notes = new JsonObject();
        r.notes().forEach(notes::addProperty);
        o.add("notes", notes);
        JsonObject training = new JsonObject();
        r.training().forEach(training::addProperty);
        o.add("training", training);
        return o;
    }

    private JsonObject definitions() {
        JsonObject d = new JsonObject();
        d.addProperty(
                "r2",
                "regression: mean over the two velocity outputs of 1 − SSE/SST on the 1-kHz frames"
                        + " of the held-out part (the last 25 % of the simulated recording)");
        d.addProperty(
                "accuracy",
                "classification: share of the held-out trials (the last half) decided as their"
                        + " cue's class");
        d.addProperty("sg_bptt", "SG-BPTT job (the recipe of docs/jobs.md) with the plain loss");
        d.addProperty(
                "sg_bptt_ib",
                "the same job with an information_bottleneck regulariser, β = "
                        + ibWeight
                        + ", prior "
                        + ibPriorHz
                        + " Hz");
        d.addProperty(
                "ann_T<n>",
                "a ReLU ANN on the same inputs and targets converted to a rate-coded IF network,"
                        + " n sub-steps per decision (per 50-ms bin / per trial window)");
        d.addProperty("ann_relu", "the ANN itself (the converted network's limit as T grows)");
        d.addProperty(
                "kalman / wiener / csp_lda",
                "the classical decoders the job recipes fit on the same training part");
        d.addProperty(
                "winners",
                "per condition: objective = the better of sg_bptt and sg_bptt_ib; decoder = the"
                        + " best of all");
        return d;
    }

    static String markdown(
            RobustnessScores regression,
            RobustnessScores classification,
            String command,
            String started,
            double wallS) {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "Made by `%s` (started %s, %.0f s wall).%n%n",
                        command,
                        started,
                        wallS));
        table(b, "Regression (simulated intracortical, held-out R²)", regression);
        table(b, "Classification (simulated motor imagery, held-out accuracy)", classification);
        return b.toString();
    }

    private static void table(StringBuilder b, String title, RobustnessScores r) {
        b.append("**").append(title).append("**\n\n");
        List<String> decoders = new ArrayList<>(r.scores().get("clean").keySet());
        b.append("| condition |");
        for (String d : decoders) {
            b.append(' ').append(d).append(" |");
        }
        b.append(" better objective |\n| --- |");
        b.append(" ---: |".repeat(decoders.size()));
        b.append(" --- |\n");
        for (Map.Entry<String, Map<String, Double>> c : r.scores().entrySet()) {
            b.append("| ").append(c.getKey()).append(" |");
            String best = r.bestDecoder(c.getKey());
            for (String d : decoders) {
                Double v = c.getValue().get(d);
                String cell = v == null || v.isNaN() ? "—" : String.format(Locale.ROOT, "%.3f", v);
                b.append(' ').append(d.equals(best) ? "**" + cell + "**" : cell).append(" |");
            }
            b.append(' ').append(r.objectiveWinner(c.getKey())).append(" |\n");
        }
        b.append("\nArtifacts:\n\n");
        r.strengths()
                .forEach((k, v) -> b.append("- `").append(k).append("`: ").append(v).append('\n'));
        r.notes()
                .forEach(
                        (k, v) ->
                                b.append("- note on `")
                                        .append(k)
                                        .append("`: ")
                                        .append(v)
                                        .append('\n'));
        b.append("\nTraining:\n\n");
        r.training()
                .forEach((k, v) -> b.append("- `").append(k).append("`: ").append(v).append('\n'));
        b.append('\n');
    }
}
