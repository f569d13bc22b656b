package org.spikeloop.app.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.spikeloop.adapters.sim.DriftEvent;
import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.EegConfig;
import org.spikeloop.adapters.sim.EegDrift;
import org.spikeloop.adapters.sim.MotorImageryEeg;
import org.spikeloop.learn.baseline.CspLdaConfig;
import org.spikeloop.learn.baseline.CspLdaDecoder;

/**
 * The EEG part of {@code spikeloop bench decode}: two-class (left/right hand) motor imagery on the
 * default 22-channel montage. CSP+LDA is fitted on {@code trainTrials} cued trials; evaluation then
 * classifies each later trial from the window 0.5–2.5 s after its cue, online (sample by sample),
 * through a drift event {@code beforeS} seconds into the evaluation: the physiological amplitude
 * drops to 60 % and the impedance of C3 and C4 rises (8 µV extra noise, 20 µV mains).
 *
 * <p>The spiking classifier ({@link EegSnnClassifier}, unless its settings are null) is trained on
 * the same training trials and decides each evaluation trial at the same moment from the same
 * post-cue window.
 *
 * <p>Scores: {@code accuracyBefore} over all trials before the drift, {@code accuracyAfter} over
 * the trials decided in the first 60 s after it, {@code accuracyLater} over those decided after
 * that, {@code accuracyAll} over every evaluation trial.
 */
final class EegDecodeBench {
    /**
     * @param snn the spiking classifier's settings, or null to run CSP+LDA only
     * @param eprop also run a copy of the trained network that keeps learning online with e-prop
     *     from each evaluation trial's label, given only after that trial was decided
     */
    record Settings(
            long seed,
            int trainTrials,
            double beforeS,
            double afterS,
            EegSnnClassifier.Settings snn,
            boolean eprop) {}

    /** One classified trial: decision time (s from evaluation start), and whether it was right. */
    record Decision(double atS, boolean correct) {}

    record Outcome(
            String name,
            double accuracyBefore,
            double accuracyAfter,
            double accuracyLater,
            double accuracyAll,
            int trialsBefore,
            int trialsAfter,
            int trialsLater,
            List<Decision> decisions) {}

    private final Settings settings;

    EegDecodeBench(Settings settings) {
        this.settings = settings;
    }

    /** Every decoder's outcome, CSP+LDA first. */
    List<Outcome> run(PrintWriter log) {
        EegConfig config = EegConfig.defaults(settings.seed());
        MotorImageryEeg eeg = new MotorImageryEeg(config);
        double fs = config.sampleRateHz();
        CspLdaConfig csp = CspLdaConfig.defaults();
        int windowFrom = (int) Math.round(csp.windowStartS() * fs);
        int decisionDelay = (int) Math.round((csp.windowStartS() + csp.windowS()) * fs);
        int trainTail = Math.max(decisionDelay, (int) Math.round(config.timing().imageryS() * fs));
        float[] frame = new float[eeg.channels()];

        // Training: record until trainTrials cues have their whole imagery period recorded.
        List<float[]> recording = new ArrayList<>();
        List<Integer> cues = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int lastCue = -1;
        while (cues.size() < settings.trainTrials() || recording.size() < lastCue + trainTail) {
            String marker = eeg.step(frame);
            if (marker != null && eeg.currentClass() >= 0 && cues.size() < settings.trainTrials()) {
                lastCue = recording.size();
                cues.add(lastCue);
                labels.add(eeg.currentClass());
            }
            recording.add(frame.clone());
        }
        int[] cueArray = cues.stream().mapToInt(Integer::intValue).toArray();
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        double[][] rows = new double[recording.size()][frame.length];
        for (int t = 0; t < rows.length; t++) {
            for (int c = 0; c < frame.length; c++) {
                rows[t][c] = recording.get(t)[c];
            }
        }
        CspLdaDecoder decoder =
                CspLdaDecoder.fit(rows, fs, cueArray, labelArray, config.classes(), csp);
        log.printf(
                Locale.ROOT,
                "bench decode: EEG %d channels, CSP+LDA fitted on %d trials (%.0f s)%n",
                eeg.channels(),
                cues.size(),
                recording.size() / fs);
        log.flush();
        EegSnnClassifier snn =
                settings.snn() == null
                        ? null
                        : EegSnnClassifier.train(
                                recording.toArray(new float[0][]),
                                fs,
                                cueArray,
                                labelArray,
                                config.classes(),
                                csp.windowStartS(),
                                config.timing().imageryS(),
                                settings.snn(),
                                settings.eprop() ? EegSnnClassifier.epropConfig() : null,
                                log);

        int c3 = config.montage().indexOf("C3");
        int c4 = config.montage().indexOf("C4");
        List<DriftEvent<MotorImageryEeg>> events = new ArrayList<>();
        events.add(new EegDrift.AmplitudeShift(settings.beforeS(), 0.6));
        events.add(new EegDrift.ImpedanceShift(settings.beforeS(), c3, 8.0, 20.0));
        events.add(new EegDrift.ImpedanceShift(settings.beforeS(), c4, 8.0, 20.0));
        DriftSchedule<MotorImageryEeg> drift = new DriftSchedule<>(events);

        long samples = Math.round((settings.beforeS() + settings.afterS()) * fs);
        List<Decision> cspDecisions = new ArrayList<>();
        List<Decision> snnDecisions = new ArrayList<>();
        List<Decision> epropDecisions = new ArrayList<>();
        int imagery = (int) Math.round(config.timing().imageryS() * fs);
        float[] oneHot = new float[config.classes()];
        long openAt = -1;
        long decideAt = -1;
        long labelUntil = -1;
        int decideClass = -1;
        for (long t = 0; t < samples; t++) {
            drift.applyDue(t / fs, eeg);
            String marker = eeg.step(frame);
            decoder.step(frame);
            if (marker != null && eeg.currentClass() >= 0) {
                openAt = t + windowFrom;
                decideAt = t + decisionDelay - 1;
                labelUntil = t + imagery;
                decideClass = eeg.currentClass();
            }
            if (snn != null) {
                if (t == openAt) {
                    snn.openWindow();
                }
                // The label reaches e-prop only after the trial's decision: [decision, end of
                // imagery).
                boolean labelled = t > decideAt && t < labelUntil;
                if (labelled) {
                    java.util.Arrays.fill(oneHot, 0f);
                    oneHot[decideClass] = 1f;
                }
                snn.step(frame, labelled ? oneHot : null);
                if (t == labelUntil) {
                    snn.endTrial();
                }
                if (t == decideAt && snn.ready()) {
                    snnDecisions.add(new Decision((t + 1) / fs, snn.predict() == decideClass));
                    if (snn.adaptive()) {
                        epropDecisions.add(
                                new Decision((t + 1) / fs, snn.predictAdaptive() == decideClass));
                    }
                }
            }
            if (t == decideAt && decoder.ready()) {
                cspDecisions.add(new Decision((t + 1) / fs, decoder.predict() == decideClass));
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(score("csp_lda", cspDecisions, log));
        if (snn != null) {
            outcomes.add(score(EegSnnClassifier.NAME, snnDecisions, log));
            if (snn.adaptive()) {
                outcomes.add(score(EegSnnClassifier.EPROP_NAME, epropDecisions, log));
                log.printf(
                        Locale.ROOT,
                        "bench decode: EEG e-prop applied %d updates%n",
                        snn.adaptiveUpdates());
            }
        }
        return outcomes;
    }

    private Outcome score(String name, List<Decision> decisions, PrintWriter log) {
        double driftS = settings.beforeS();
        int[] n = new int[3];
        int[] right = new int[3];
        for (Decision d : decisions) {
            int part = d.atS() <= driftS ? 0 : d.atS() <= driftS + 60 ? 1 : 2;
            n[part]++;
            right[part] += d.correct() ? 1 : 0;
        }
        Outcome outcome =
                new Outcome(
                        name,
                        ratio(right[0], n[0]),
                        ratio(right[1], n[1]),
                        ratio(right[2], n[2]),
                        ratio(right[0] + right[1] + right[2], n[0] + n[1] + n[2]),
                        n[0],
                        n[1],
                        n[2],
                        decisions);
        log.printf(
                Locale.ROOT,
                "bench decode: %-16s accuracy before %.3f (%d), first 60 s after %.3f"
                        + " (%d), later %.3f (%d)%n",
                name,
                outcome.accuracyBefore(),
                n[0],
                outcome.accuracyAfter(),
                n[1],
                outcome.accuracyLater(),
                n[2]);
        log.flush();
        return outcome;
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : a / (double) b;
    }
}
