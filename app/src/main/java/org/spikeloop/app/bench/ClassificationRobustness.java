package org.spikeloop.app.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.learn.baseline.ConvertedSnn;
import org.spikeloop.learn.baseline.ReluMlp;
import org.spikeloop.learn.baseline.ReluMlpTrainer;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.jobs.ClassificationBaselines;
import org.spikeloop.learn.jobs.ClassificationOutcome;
import org.spikeloop.learn.jobs.ClassificationRecipe;
import org.spikeloop.learn.jobs.TrialSequence;
import org.spikeloop.learn.loss.ReadoutCrossEntropy;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.trials.Trial;
import org.spikeloop.learn.trials.TrialSegmenter;
import org.spikeloop.signal.FrontEndChain;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.signal.artifacts.AddedPerturbation;
import org.spikeloop.signal.artifacts.Artifact;
import org.spikeloop.signal.artifacts.DeadChannels;
import org.spikeloop.signal.artifacts.ElectrodePops;
import org.spikeloop.signal.artifacts.EmgBursts;
import org.spikeloop.signal.artifacts.LineNoise;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * The classification half of {@code bench robustness}: simulated motor-imagery EEG ({@code bench
 * decode}'s simulator, Graz montage at 256 Hz, two classes) generated in process, cut into trials
 * by the shipped job config's protocol after its front-end (band power, normaliser), two SG-BPTT
 * jobs through {@link ClassificationRecipe} (plain and with an {@code information_bottleneck}
 * regulariser), CSP+LDA as the recipe fits it, and the ANN-to-SNN conversion baseline; then
 * held-out accuracy on the clean held-out trials and on copies corrupted by each artifact.
 *
 * <p>The signal artifacts act on the raw EEG from the end of the last training trial on, before the
 * front-end (which is causal, so the training features are unchanged); every decoder then sees the
 * corrupted recording the way it reads data (CSP+LDA the raw EEG, the others the front-end's
 * features). The FGSM perturbation is crafted on the front-end's features (the plain SNN's input),
 * so it reaches the feature decoders unchanged but not CSP+LDA, which has no score there. Spurious
 * spike bursts do not apply to EEG.
 */
final class ClassificationRobustness {
    /**
     * @param seed simulation and training seed
     * @param trials cue trials (the last half held out)
     * @param erdFraction the simulator's event-related desynchronisation (the difficulty)
     * @param ibWeight β of the information bottleneck
     * @param ibPriorHz its prior rate
     * @param fgsmEpsSd the FGSM step, units of each feature's σ
     * @param baseConfig the classification job config text
     */
    record Settings(
            long seed,
            int trials,
            double erdFraction,
            double ibWeight,
            double ibPriorHz,
            double fgsmEpsSd,
            String baseConfig) {}

    private final Settings s;

    ClassificationRobustness(Settings settings) {
        this.s = settings;
    }

    /** The artifacts at the strengths this half states (raw EEG, µV at 256 Hz). */
    List<Artifact> artifacts(int channels) {
        long k = s.seed() * 1000 + 100;
        return List.of(
                new EmgBursts(3.0, 0.5, 0.2, k + 1),
                new ElectrodePops(10.0, 1.0, 0.1, k + 2),
                new LineNoise(50, 1.0, k + 3),
                new DeadChannels(Math.max(1, (int) Math.round(0.1 * channels)), k + 4));
    }

    static JobConfig config(String base, Double ibWeight, double priorHz) {
        JsonObject o = JsonParser.parseString(base).getAsJsonObject();
        if (ibWeight != null) {
            RobustnessJobs.addInformationBottleneck(o, ibWeight, priorHz);
        }
        return JobConfig.parse(o.toString());
    }

    RobustnessScores run(PrintWriter log) {
        JobConfig plainConfig = config(s.baseConfig(), null, 0);
        JobConfig ibConfig = config(s.baseConfig(), s.ibWeight(), s.ibPriorHz());
        SimulatedMotorImagery eeg =
                SimulatedMotorImagery.generate(
                        MotorImageryDecodeBench.simulation(s.seed(), s.erdFraction()), s.trials());
        Recording rec = new Recording(eeg, plainConfig);
        TrialSequence data = rec.sequence(eeg.samples());
        log.printf(
                Locale.ROOT,
                "bench robustness: classification: %d trials, %.0f s of %d-channel EEG at %.0f Hz%n",
                data.trialCount(),
                eeg.durationS(),
                eeg.channels(),
                eeg.sampleRateHz());
        log.flush();
        ClassificationOutcome plain = train(plainConfig, data, RobustnessJobs.PLAIN, log);
        ClassificationOutcome ib = train(ibConfig, data, RobustnessJobs.IB, log);
        int heldOutStart = plain.heldOutStart();
        int validationStart = plain.validationStart();
        NetworkSpec spec = plainConfig.spec();
        Ann ann = Ann.fit(data, heldOutStart, s.seed());

        RobustnessScores out = RobustnessScores.of("accuracy");
        out.training().put(RobustnessJobs.PLAIN, epochs(plain));
        out.training().put(RobustnessJobs.IB, epochs(ib));
        out.training().put("ann", Ann.describe(data));
        score(out, "clean", data, plain, ib, ann, validationStart, heldOutStart, spec, true);
        double fromS = data.trials().get(heldOutStart - 1).endS();
        int fromSample = (int) Math.ceil(fromS * eeg.sampleRateHz());
        int c = eeg.channels();
        int n = eeg.sampleCount() - fromSample;
        for (Artifact a : artifacts(c)) {
            out.strengths().put(a.name(), a.strength() + ", on the raw EEG");
            double[] block = new double[n * c];
            float[] raw = eeg.samples();
            for (int i = 0; i < block.length; i++) {
                block[i] = raw[fromSample * c + i];
            }
            a.apply(block, n, c, eeg.sampleRateHz());
            float[] corrupted = raw.clone();
            for (int i = 0; i < block.length; i++) {
                corrupted[fromSample * c + i] = (float) block[i];
            }
            score(
                    out,
                    a.name(),
                    rec.sequence(corrupted),
                    plain,
                    ib,
                    ann,
                    validationStart,
                    heldOutStart,
                    spec,
                    true);
            log.printf(Locale.ROOT, "bench robustness: classification: %s scored%n", a.name());
            log.flush();
        }
        out.strengths().put("spike_burst", "not applicable (EEG has no spike inputs)");
        AddedPerturbation fgsm = fgsm(spec, plain, data, heldOutStart, plainConfig);
        out.strengths()
                .put(
                        fgsm.name(),
                        fgsm.strength()
                                + " of the front-end's features, crafted on sg_bptt's held-out cross-entropy");
        double[] x = data.x().clone();
        fgsm.apply(x, data.frames(), data.channels(), 1.0);
        TrialSequence attacked =
                new TrialSequence(
                        x,
                        data.channels(),
                        data.stampsS(),
                        data.trials(),
                        data.classNames(),
                        data.source(),
                        data.sourceChannels(),
                        data.sourceRateHz(),
                        data.sourceStampsS());
        score(
                out,
                fgsm.name(),
                attacked,
                plain,
                ib,
                ann,
                validationStart,
                heldOutStart,
                spec,
                false);
        out.notes()
                .put(
                        fgsm.name(),
                        "csp_lda reads the raw EEG: the feature-space perturbation"
                                + " does not reach it");
        for (Map<String, Double> m : out.scores().values()) {
            m.putIfAbsent("csp_lda", Double.NaN);
        }
        return out;
    }

    static String epochs(ClassificationOutcome o) {
        return RobustnessJobs.trainingSummary(
                o.inputGain(),
                o.bestEpoch(),
                o.trainLoss().size() - 1,
                o.stoppedEarly(),
                "accuracy",
                o.validationAccuracy().get(o.bestEpoch()));
    }

    private AddedPerturbation fgsm(
            NetworkSpec spec,
            ClassificationOutcome plain,
            TrialSequence data,
            int heldOutStart,
            JobConfig config) {
        int leadIn = (int) Math.round(config.task().leadInS() * 1000.0 / spec.dtMs());
        int n = data.trialCount() - heldOutStart;
        int c = data.channels();
        int length = 0;
        for (int i = heldOutStart; i < data.trialCount(); i++) {
            length = Math.max(length, leadIn + data.to(i) - data.from(i));
        }
        length = Math.min(length, data.frames());
        double[] x = new double[n * length * c];
        double[] label = new double[n];
        double[] mask = new double[n * length];
        int[] start = new int[n];
        for (int k = 0; k < n; k++) {
            int i = heldOutStart + k;
            start[k] = Math.max(0, Math.min(data.from(i) - leadIn, data.frames() - length));
            System.arraycopy(data.x(), start[k] * c, x, k * length * c, length * c);
            label[k] = data.classOf(i);
            for (int f = data.from(i); f < Math.min(data.to(i), start[k] + length); f++) {
                mask[k * length + f - start[k]] = 1.0;
            }
        }
        Batch batch =
                new Batch(
                        x,
                        n,
                        length,
                        c,
                        Map.of(
                                "label", new Tensor(new int[] {n}, label),
                                "mask", new Tensor(new int[] {n, length}, mask)));
        double[] g =
                Fgsm.gradient(
                        spec,
                        plain.params(),
                        batch,
                        new ReadoutCrossEntropy(
                                spec.outputs(), ReadoutCrossEntropy.Average.WINDOW));
        double[] gFrames = new double[data.x().length];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < length * c; i++) {
                gFrames[start[k] * c + i] += g[k * length * c + i];
            }
        }
        int from = start[0];
        double[] clean = Arrays.copyOfRange(data.x(), from * c, data.x().length);
        double[] d =
                Fgsm.perturbation(
                        clean,
                        Arrays.copyOfRange(gFrames, from * c, gFrames.length),
                        data.frames() - from,
                        c,
                        s.fgsmEpsSd());
        double[] delta = new double[data.x().length];
        System.arraycopy(d, 0, delta, from * c, d.length);
        return new AddedPerturbation("fgsm", delta, s.fgsmEpsSd(), false);
    }

    private static ClassificationOutcome train(
            JobConfig config, TrialSequence data, String name, PrintWriter log) {
        long t0 = System.nanoTime();
        ClassificationOutcome o =
                ClassificationRecipe.run(
                        config,
                        null,
                        data,
                        ClassificationRecipe.Settings.defaults(
                                config.spec().dtMs(), config.task().leadInS()),
                        p -> {},
                        () -> false);
        log.printf(
                Locale.ROOT,
                "bench robustness: classification: %s held-out accuracy %.3f (best epoch %d, %.0f"
                        + " s)%n",
                name,
                o.heldOut().accuracy(),
                o.bestEpoch(),
                (System.nanoTime() - t0) / 1e9);
        log.flush();
        return o;
    }

    private static void score(
            RobustnessScores out,
            String condition,
            TrialSequence data,
            ClassificationOutcome plain,
            ClassificationOutcome ib,
            Ann ann,
            int validationStart,
            int heldOutStart,
            NetworkSpec spec,
            boolean withCsp) {
        out.put(
                condition,
                RobustnessJobs.PLAIN,
                ClassificationRecipe.scoreHeldOut(spec, plain.params(), data, heldOutStart)
                        .accuracy());
        out.put(
                condition,
                RobustnessJobs.IB,
                ClassificationRecipe.scoreHeldOut(spec, ib.params(), data, heldOutStart)
                        .accuracy());
        for (int t : RegressionRobustness.ANN_STEPS) {
            out.put(condition, "ann_T" + t, ann.accuracy(data, heldOutStart, t));
        }
        out.put(condition, "ann_relu", ann.accuracy(data, heldOutStart, 0));
        if (withCsp) {
            for (ClassificationBaselines.Result r :
                    ClassificationBaselines.fit(data, validationStart, heldOutStart)) {
                if (r.name().equals("csp_lda")) {
                    out.put(condition, r.name(), r.skipped() ? Double.NaN : r.heldOut().accuracy());
                }
            }
        }
    }

    /**
     * The simulated recording turned into a {@link TrialSequence} the way a job reads one: the
     * config's front-end run over the samples from the first (each frame stamped with its last
     * source sample's time), the markers cut into trials by the config's protocol.
     */
    static final class Recording {
        private final SimulatedMotorImagery eeg;
        private final JobConfig config;
        private final List<Trial> trials;

        Recording(SimulatedMotorImagery eeg, JobConfig config) {
            this.eeg = eeg;
            this.config = config;
            double[] stamps = new double[eeg.markers().size()];
            for (int i = 0; i < stamps.length; i++) {
                stamps[i] = eeg.markerAt()[i] / eeg.sampleRateHz();
            }
            this.trials =
                    TrialSegmenter.segment(
                            config.task().protocol(), stamps, eeg.markers().toArray(String[]::new));
        }

        TrialSequence sequence(float[] samples) {
            int c = eeg.channels();
            FrontEndSpec spec = new FrontEndSpec(c, eeg.sampleRateHz(), config.frontEnd());
            FrontEndChain chain = spec.build();
            int n = samples.length / c;
            int o = spec.outputChannels();
            float[] row = new float[c];
            float[] out = new float[o];
            List<double[]> frames = new ArrayList<>();
            List<Double> stamps = new ArrayList<>();
            double[] sourceStamps = new double[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(samples, i * c, row, 0, c);
                sourceStamps[i] = i / eeg.sampleRateHz();
                if (chain.accept(row, out)) {
                    double[] f = new double[o];
                    for (int k = 0; k < o; k++) {
                        f[k] = out[k];
                    }
                    frames.add(f);
                    stamps.add(sourceStamps[i]);
                }
            }
            double[] x = new double[frames.size() * o];
            double[] st = new double[frames.size()];
            for (int f = 0; f < frames.size(); f++) {
                System.arraycopy(frames.get(f), 0, x, f * o, o);
                st[f] = stamps.get(f);
            }
            return new TrialSequence(
                    x,
                    o,
                    st,
                    trials,
                    config.task().protocol().classNames(),
                    samples,
                    c,
                    eeg.sampleRateHz(),
                    sourceStamps);
        }
    }

    /**
     * The ANN-to-SNN conversion baseline per trial: the features are the front-end's frames
     * averaged over the trial window, z-scored on the training trials; a ReLU network F → 16 →
     * classes (Adam, 200 epochs, fixed settings) is converted ({@link ConvertedSnn}) and run T
     * sub-steps per trial window, the decision its arg-max.
     */
    static final class Ann {
        private static final int HIDDEN = 16;
        private final ReluMlp ann;
        private final ConvertedSnn snn;
        private final double[] mean;
        private final double[] sd;

        private Ann(ReluMlp ann, ConvertedSnn snn, double[] mean, double[] sd) {
            this.ann = ann;
            this.snn = snn;
            this.mean = mean;
            this.sd = sd;
        }

        static String describe(TrialSequence d) {
            return String.format(
                    Locale.ROOT,
                    "%d → %d → %d on the trial window's mean features",
                    d.channels(),
                    HIDDEN,
                    d.classes());
        }

        static double[] windowMean(TrialSequence d, int i) {
            int c = d.channels();
            double[] m = new double[c];
            for (int f = d.from(i); f < d.to(i); f++) {
                for (int k = 0; k < c; k++) {
                    m[k] += d.x()[f * c + k] / (d.to(i) - d.from(i));
                }
            }
            return m;
        }

        static Ann fit(TrialSequence d, int heldOutStart, long seed) {
            double[][] x = new double[heldOutStart][];
            int[] labels = new int[heldOutStart];
            for (int i = 0; i < heldOutStart; i++) {
                x[i] = windowMean(d, i);
                labels[i] = d.classOf(i);
            }
            double[] mean = new double[d.channels()];
            double[] sd = new double[d.channels()];
            RegressionRobustness.AnnBaseline.standardise(x, mean, sd);
            ReluMlp ann = new ReluMlp(new int[] {d.channels(), HIDDEN, d.classes()}, seed);
            new ReluMlpTrainer(200, 8, 3e-3, 1e-3, seed).fitClassification(ann, x, labels);
            return new Ann(ann, ConvertedSnn.convert(ann, x), mean, sd);
        }

        /**
         * @param steps T sub-steps per trial window, or 0 for the ANN itself
         */
        double accuracy(TrialSequence d, int heldOutStart, int steps) {
            double[] in = new double[d.channels()];
            double[] out = new double[d.classes()];
            int right = 0;
            for (int i = heldOutStart; i < d.trialCount(); i++) {
                double[] m = windowMean(d, i);
                for (int k = 0; k < in.length; k++) {
                    in[k] = (m[k] - mean[k]) / sd[k];
                }
                if (steps == 0) {
                    ann.predict(in, out);
                } else {
                    snn.decide(in, steps, out);
                }
                int best = 0;
                for (int k = 1; k < out.length; k++) {
                    if (out[k] > out[best]) {
                        best = k;
                    }
                }
                right += best == d.classOf(i) ? 1 : 0;
            }
            return right / (double) (d.trialCount() - heldOutStart);
        }
    }
}
