package org.spikeloop.server.jobs;

import static org.spikeloop.server.jobs.JobReportJson.number;
import static org.spikeloop.server.jobs.JobReportJson.numbers;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.learn.jobs.RegressionBaselines;
import org.spikeloop.learn.jobs.RegressionOutcome;
import org.spikeloop.learn.jobs.RegressionScore;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.RegistryEntry;

/**
 * A regression job's results in the user's units, in the three places a user reads them: the report
 * JSON, the one-line summary (the CLI's last line and the checkpoint's provenance) and the registry
 * lineage's scores. R² is per output, named by the labels stream's channels, next to the classical
 * baselines fitted on the same split. The JSON is strict (no NaN: missing values are null).
 */
public final class JobScores {
    /** What the loss figures are: said next to them in the report. */
    static final String LOSS_UNIT =
            "mean squared error of the standardised targets (units of the target variance σ²;"
                    + " 1 = predicting the training mean); training includes any regularisers";

    private JobScores() {}

    /** e.g. {@code held-out R² vx 0.914, vy 0.915 (kalman 0.860, 0.853; wiener 0.913, 0.902)}. */
    public static String summary(RegressionOutcome o, List<String> names) {
        StringBuilder s = new StringBuilder("held-out R²");
        double[] r2 = o.heldOut().r2();
        for (int k = 0; k < r2.length; k++) {
            s.append(k == 0 ? " " : ", ").append(names.get(k)).append(' ').append(fmt(r2[k]));
        }
        s.append(" (");
        for (int b = 0; b < o.baselines().size(); b++) {
            RegressionBaselines.Result r = o.baselines().get(b);
            s.append(b == 0 ? "" : "; ").append(r.name());
            for (int k = 0; k < r2.length; k++) {
                s.append(k == 0 ? " " : ", ").append(fmt(r.heldOut().r2()[k]));
            }
        }
        return s.append(')').toString();
    }

    /** The registry lineage's scores: {@code r2.<output>} and {@code <baseline>_r2.<output>}. */
    public static Map<String, Double> scores(RegressionOutcome o, List<String> names) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            m.put("r2." + names.get(k), o.heldOut().r2()[k]);
        }
        for (RegressionBaselines.Result b : o.baselines()) {
            for (int k = 0; k < names.size(); k++) {
                m.put(b.name() + "_r2." + names.get(k), b.heldOut().r2()[k]);
            }
        }
        return m;
    }

    static JsonObject report(
            String jobId,
            TrainingJobRequest request,
            JobConfig config,
            RegressionOutcome o,
            List<String> names,
            RegistryEntry entry,
            DataRange range,
            int windowFrames,
            double seconds) {
        JsonObject j = JobReportJson.heading(jobId, request, config, entry, summary(o, names));
        double t0 = o.heldOutData().stampsS()[0];
        JsonObject d = JobReportJson.data(request, range);
        d.addProperty("trainingFrames", o.heldOutStart());
        d.addProperty("innerValidationFrames", o.heldOutStart() - o.validationStart());
        d.addProperty("heldOutFrames", o.heldOutData().frames());
        d.addProperty("heldOutFromS", t0);
        d.addProperty("windowFrames", windowFrames);
        d.addProperty("windowS", windowFrames * config.spec().dtMs() / 1000.0);
        j.add("data", d);
        JsonObject c = new JsonObject();
        c.add("inputGain", number(o.inputGain()));
        c.addProperty("trainFromS", o.trainFromS());
        c.addProperty("readoutRelativeRidge", o.readout().relativeRidge());
        c.add("readoutSpanValidationR2", numbers(o.readout().spanR2()));
        j.add("choices", c);
        JsonObject losses = new JsonObject();
        losses.addProperty("unit", LOSS_UNIT);
        losses.add("train", numbers(o.trainLoss()));
        losses.add("innerValidation", numbers(o.validationMse()));
        losses.add("innerValidationR2", numbers(o.validationR2()));
        losses.addProperty("bestEpoch", o.bestEpoch());
        losses.addProperty("stoppedEarly", o.stoppedEarly());
        j.add("epochs", losses);
        JsonObject scores = new JsonObject();
        JsonArray outputs = new JsonArray();
        names.forEach(outputs::add);
        scores.add("outputs", outputs);
        scores.add("heldOut", score(o.heldOut(), names));
        scores.add("closedFormReadout", score(o.calibratedScore(), names));
        if (o.startScore() != null) {
            scores.add("startCheckpoint", score(o.startScore(), names));
        }
        JsonObject baselines = new JsonObject();
        for (RegressionBaselines.Result b : o.baselines()) {
            JsonObject bj = score(b.heldOut(), names);
            bj.addProperty("settings", b.settings());
            baselines.add(b.name(), bj);
        }
        scores.add("baselines", baselines);
        j.add("scores", scores);
        JobReportJson.durations(j, o.seconds(), seconds);
        return j;
    }

    private static JsonObject score(RegressionScore s, List<String> names) {
        JsonObject r2 = new JsonObject();
        JsonObject mse = new JsonObject();
        for (int k = 0; k < names.size(); k++) {
            r2.add(names.get(k), number(s.r2()[k]));
            mse.add(names.get(k), number(s.mse()[k]));
        }
        JsonObject j = new JsonObject();
        j.add("r2", r2);
        j.add("meanR2", number(s.meanR2()));
        j.add("mseTargetUnits", mse);
        return j;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
