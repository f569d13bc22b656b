package org.spikeloop.server.jobs;

import static org.spikeloop.server.jobs.JobReportJson.number;
import static org.spikeloop.server.jobs.JobReportJson.numbers;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.learn.jobs.ClassificationBaselines;
import org.spikeloop.learn.jobs.ClassificationOutcome;
import org.spikeloop.learn.jobs.ClassificationScore;
import org.spikeloop.learn.train.FrontEndJson;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.trials.Trial;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * A classification job's results in the places a user reads them: the report JSON (per held-out
 * trial the cue, window, class, decision and probabilities; the confusion matrix; the classical
 * baselines fitted on the same split), the one-line summary (the CLI's last line and the
 * checkpoint's provenance) and the registry lineage's scores. The JSON is strict (missing values
 * are null).
 */
public final class ClassificationScores {
    /** What the loss figures are: said next to them in the report. */
    static final String LOSS_UNIT =
            "mean cross-entropy −ln π[class] of the trials' window logits (the window-averaged"
                    + " leaky readout, or the window's output spike counts of a spike_count"
                    + " readout; natural log; ln K = guessing); training: the config's readout_ce"
                    + " or spike_count_ce plus any regularisers";

    /** How a trial is decided: said next to the scores in the report. */
    static final String DECISION =
            "at the trial window's end: arg-max of softmax(readout averaged over the window, or"
                    + " output spike counts in the window for a spike_count readout)";

    private ClassificationScores() {}

    /** e.g. {@code held-out accuracy 0.850 (17/20 trials; csp_lda 0.800, bandpower_lda 0.750)}. */
    public static String summary(ClassificationOutcome o) {
        ClassificationScore h = o.heldOut();
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "held-out accuracy %.3f (%d/%d trials",
                                h.accuracy(),
                                h.correct(),
                                h.count()));
        for (ClassificationBaselines.Result b : o.baselines()) {
            s.append("; ").append(b.name()).append(' ');
            s.append(b.skipped() ? "skipped" : fmt(b.heldOut().accuracy()));
        }
        return s.append(')').toString();
    }

    /**
     * The registry lineage's scores: {@code accuracy}, {@code recall.<class>}, {@code
     * max_class_share} and {@code <baseline>_accuracy}.
     */
    public static Map<String, Double> scores(ClassificationOutcome o) {
        Map<String, Double> m = new LinkedHashMap<>();
        ClassificationScore h = o.heldOut();
        m.put("accuracy", h.accuracy());
        for (int k = 0; k < h.classNames().size(); k++) {
            m.put("recall." + h.classNames().get(k), h.recall(k));
        }
        m.put("max_class_share", h.maxClassShare());
        for (ClassificationBaselines.Result b : o.baselines()) {
            if (!b.skipped()) {
                m.put(b.name() + "_accuracy", b.heldOut().accuracy());
            }
        }
        return m;
    }

    static JsonObject report(
            String jobId,
            TrainingJobRequest request,
            JobConfig config,
            ClassificationOutcome o,
            XdfTrialData.Trials data,
            RegistryEntry entry,
            DataRange range,
            double seconds) {
        JsonObject j = JobReportJson.heading(jobId, request, config, entry, summary(o));
        JsonObject d = JobReportJson.data(request, range);
        JsonObject fe = new JsonObject();
        fe.addProperty("from", data.frontEndFrom().isEmpty() ? "none" : data.frontEndFrom());
        if (data.frontEnd() != null) {
            fe.addProperty("inputChannels", data.frontEnd().inputChannels());
            fe.addProperty("inputRateHz", data.frontEnd().inputRateHz());
            fe.add("stages", FrontEndJson.stages(data.frontEnd().stages()));
        }
        d.add("frontEnd", fe);
        d.addProperty("sourceChannels", data.sequence().sourceChannels());
        d.addProperty("sourceRateHz", data.sequence().sourceRateHz());
        d.addProperty("skippedNonFiniteSamples", data.skippedNonFinite());
        d.addProperty("markerTrials", data.markerTrials());
        d.addProperty("trialsLeftOut", data.leftOut());
        d.addProperty("trials", data.sequence().trialCount());
        d.addProperty("fitTrials", o.validationStart());
        d.addProperty("innerValidationTrials", o.heldOutStart() - o.validationStart());
        d.addProperty("heldOutTrials", o.heldOut().count());
        d.addProperty("heldOutFromS", data.sequence().trials().get(o.heldOutStart()).startS());
        d.addProperty("trainingFrames", o.trainingFrames());
        d.addProperty("sequenceFrames", o.sequenceFrames());
        j.add("data", d);
        JsonObject c = new JsonObject();
        c.add("inputGain", number(o.inputGain()));
        c.addProperty("readoutShrinkage", o.shrinkage());
        JsonArray gains = new JsonArray();
        for (double[] g : o.gainChoices()) {
            JsonObject row = new JsonObject();
            row.add("inputGain", number(g[0]));
            row.add("shrinkage", number(g[1]));
            row.add("crossValidatedCrossEntropy", number(g[2]));
            row.add("crossValidatedAccuracy", number(g[3]));
            gains.add(row);
        }
        c.add("inputGains", gains);
        JsonObject offsets = new JsonObject();
        for (int k = 0; k < o.offsets().length; k++) {
            offsets.add(o.heldOut().classNames().get(k), number(o.offsets()[k]));
        }
        c.add("classOffsets", offsets);
        c.addProperty(
                "classBias",
                config.spec().readout().type() == ReadoutType.SPIKE_COUNT
                        ? "not calibrated: a spike_count readout's bias is an input current, which"
                                + " does not shift the window's spike counts by an offset"
                        : "calibrated: classOffsets added to the readout bias");
        c.add("hiddenSpikesPerFrame", number(o.spikesPerFrame()));
        j.add("choices", c);
        JsonObject e = new JsonObject();
        e.addProperty("unit", LOSS_UNIT);
        e.add("train", numbers(o.trainLoss()));
        e.add("innerValidationCrossEntropy", numbers(o.validationCrossEntropy()));
        e.add("innerValidationAccuracy", numbers(o.validationAccuracy()));
        e.addProperty("bestEpoch", o.bestEpoch());
        e.addProperty("stoppedEarly", o.stoppedEarly());
        j.add("epochs", e);
        JsonObject s = new JsonObject();
        JsonArray classes = new JsonArray();
        o.heldOut().classNames().forEach(classes::add);
        s.add("classes", classes);
        s.addProperty("decision", DECISION);
        s.add("heldOut", score(o.heldOut()));
        s.add("closedFormReadout", score(o.closedFormScore()));
        if (o.startScore() != null) {
            s.add("startCheckpoint", score(o.startScore()));
        }
        JsonObject baselines = new JsonObject();
        for (ClassificationBaselines.Result b : o.baselines()) {
            JsonObject bj = b.skipped() ? new JsonObject() : score(b.heldOut());
            bj.addProperty("settings", b.settings());
            baselines.add(b.name(), bj);
        }
        s.add("baselines", baselines);
        j.add("scores", s);
        JobReportJson.durations(j, o.seconds(), seconds);
        return j;
    }

    /** A score: accuracy, confusion matrix, recall per class, and every trial's decision. */
    static JsonObject score(ClassificationScore s) {
        JsonObject j = new JsonObject();
        List<String> names = s.classNames();
        j.add("accuracy", number(s.accuracy()));
        j.addProperty("correct", s.correct());
        j.addProperty("trials", s.count());
        j.add("meanCrossEntropy", number(s.meanCrossEntropy()));
        j.add("maxClassShare", number(s.maxClassShare()));
        JsonObject recall = new JsonObject();
        for (int k = 0; k < names.size(); k++) {
            recall.add(names.get(k), number(s.recall(k)));
        }
        j.add("recall", recall);
        JsonObject confusion = new JsonObject();
        confusion.addProperty("rows", "true class");
        confusion.addProperty("columns", "decided class");
        JsonArray m = new JsonArray();
        for (int[] row : s.confusion()) {
            JsonArray r = new JsonArray();
            for (int v : row) {
                r.add(v);
            }
            m.add(r);
        }
        confusion.add("counts", m);
        j.add("confusion", confusion);
        JsonArray trials = new JsonArray();
        for (int i = 0; i < s.count(); i++) {
            Trial t = s.trials().get(i);
            JsonObject tj = new JsonObject();
            tj.addProperty("trial", t.index());
            tj.addProperty("cue", t.cue());
            tj.addProperty("startS", t.startS());
            tj.addProperty("endS", t.endS());
            tj.addProperty("class", names.get(s.truth()[i]));
            tj.addProperty("decision", names.get(s.decision()[i]));
            tj.addProperty("correct", s.truth()[i] == s.decision()[i]);
            if (s.probabilities() != null) {
                JsonObject p = new JsonObject();
                for (int k = 0; k < names.size(); k++) {
                    p.add(names.get(k), number(s.probabilities()[i][k]));
                }
                tj.add("probabilities", p);
            }
            trials.add(tj);
        }
        j.add("perTrial", trials);
        return j;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
