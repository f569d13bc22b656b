package org.spikeloop.app.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.app.demo.ReferenceCheckpoint;
import org.spikeloop.learn.baseline.ConvertedSnn;
import org.spikeloop.learn.baseline.ReluMlp;
import org.spikeloop.learn.baseline.ReluMlpTrainer;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.jobs.HeldOutEvaluation;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.learn.jobs.RegressionBaselines;
import org.spikeloop.learn.jobs.RegressionOutcome;
import org.spikeloop.learn.jobs.RegressionRecipe;
import org.spikeloop.learn.jobs.RegressionScore;
import org.spikeloop.learn.loss.ReadoutMse;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.signal.artifacts.AddedPerturbation;
import org.spikeloop.signal.artifacts.Artifact;
import org.spikeloop.signal.artifacts.DeadChannels;
import org.spikeloop.signal.artifacts.ElectrodePops;
import org.spikeloop.signal.artifacts.EmgBursts;
import org.spikeloop.signal.artifacts.LineNoise;
import org.spikeloop.signal.artifacts.SpikeBursts;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * The regression half of {@code bench robustness}: the demo's simulated intracortical rig (96 units
 * at 1 kHz, hand velocity as the target) generated in process, two SG-BPTT jobs through {@link
 * RegressionRecipe} on the same data (the shipped config, plain and with an {@code
 * information_bottleneck} regulariser), the Kalman and Wiener filters the recipe fits, and the
 * ANN-to-SNN conversion baseline; then each decoder's held-out R² on the clean held-out part and on
 * copies of it corrupted by each artifact. Only the held-out part is corrupted: every decoder was
 * fitted on clean data, as a decoder calibrated before an artifact appears.
 *
 * <p>The artifacts act on the spike counts the decoders read, amplitudes in units of each channel's
 * σ over the held-out part; counts below zero are clamped to zero (a count stream cannot go
 * negative, so a continuous artifact shows as extra events).
 */
final class RegressionRobustness {
    static final int[] ANN_STEPS = {10, 50, 200};

    /** The conversion baseline's decision bin, ms (one decision per bin, held for the next). */
    static final double ANN_BIN_MS = 50;

    /** Bins of history the ANN reads (the current one included), as the Wiener filter's lags. */
    static final int ANN_LAGS = 3;

    static final int UNITS = 96;
    static final double RATE_HZ = 1000;

    /**
     * @param seed simulation and training seed
     * @param durationS simulated seconds (the last quarter is held out)
     * @param hidden hidden LIF neurons
     * @param epochs SG-BPTT epochs (early stopping may end sooner)
     * @param ibWeight β of the information bottleneck
     * @param ibPriorHz its prior rate
     * @param fgsmEpsSd the FGSM step, units of σ
     * @param baseConfig the job config text the two jobs start from
     */
    record Settings(
            long seed,
            double durationS,
            int hidden,
            int epochs,
            double ibWeight,
            double ibPriorHz,
            double fgsmEpsSd,
            String baseConfig) {}

    private final Settings s;

    RegressionRobustness(Settings settings) {
        this.s = settings;
    }

    /** The artifacts at the strengths this half states (spike counts at 1 kHz). */
    List<Artifact> artifacts() {
        long k = s.seed() * 1000;
        return List.of(
                new EmgBursts(3.0, 0.5, 0.2, k + 1),
                new ElectrodePops(10.0, 1.0, 0.1, k + 2),
                new LineNoise(50, 1.0, k + 3),
                new DeadChannels((int) Math.round(0.1 * UNITS), k + 4),
                new SpikeBursts(200, 10, 0.5, 0.2, k + 5));
    }

    static JobConfig config(String base, int hidden, int epochs, Double ibWeight, double priorHz) {
        JsonObject o = JsonParser.parseString(base).getAsJsonObject();
        o.getAsJsonObject("network")
                .getAsJsonArray("layers")
                .get(0)
                .getAsJsonObject()
                .addProperty("size", hidden);
        o.getAsJsonObject("training").addProperty("epochs", epochs);
        if (ibWeight != null) {
            RobustnessJobs.addInformationBottleneck(o, ibWeight, priorHz);
        }
        return JobConfig.parse(o.toString());
    }

    RobustnessScores run(PrintWriter log) {
        LabelledSequence data = simulate();
        log.printf(
                Locale.ROOT,
                "bench robustness: regression: %.0f s of the simulated rig (%d units at 1 kHz)%n",
                s.durationS(),
                UNITS);
        log.flush();
        JobConfig plainConfig = config(s.baseConfig(), s.hidden(), s.epochs(), null, 0);
        JobConfig ibConfig =
                config(s.baseConfig(), s.hidden(), s.epochs(), s.ibWeight(), s.ibPriorHz());
        RegressionOutcome plain = train(plainConfig, data, RobustnessJobs.PLAIN, log);
        RegressionOutcome ib = train(ibConfig, data, RobustnessJobs.IB, log);
        int heldOutStart = plain.heldOutStart();
        int validationStart = plain.validationStart();
        NetworkSpec spec = plainConfig.spec();
        AnnBaseline ann = AnnBaseline.fit(data, heldOutStart, s.seed());
        List<RegressionBaselines.Fitted> classical =
                RegressionBaselines.fitDecoders(data, validationStart, heldOutStart, spec.dtMs());
        log.printf(
                Locale.ROOT,
                "bench robustness: regression: ANN %s fitted and converted%n",
                ann.describe());
        log.flush();

        RobustnessScores out = RobustnessScores.of("r2");
        out.training().put(RobustnessJobs.PLAIN, epochs(plain));
        out.training().put(RobustnessJobs.IB, epochs(ib));
        out.training().put("ann", ann.describe());
        LabelledSequence heldOut = data.slice(heldOutStart, data.frames());
        List<Artifact> artifacts = new ArrayList<>(artifacts());
        double[] g =
                Fgsm.gradient(
                        spec,
                        plain.params(),
                        new Batch(
                                heldOut.x(),
                                1,
                                heldOut.frames(),
                                UNITS,
                                Map.of(
                                        "y",
                                        new Tensor(
                                                new int[] {1, heldOut.frames(), heldOut.outputs()},
                                                heldOut.y()))),
                        new ReadoutMse(heldOut.outputs()));
        artifacts.add(
                new AddedPerturbation(
                        "fgsm",
                        Fgsm.perturbation(heldOut.x(), g, heldOut.frames(), UNITS, s.fgsmEpsSd()),
                        s.fgsmEpsSd(),
                        true));
        score(out, "clean", data, heldOut, plain, ib, ann, classical, heldOutStart, spec);
        for (Artifact a : artifacts) {
            out.strengths()
                    .put(
                            a.name(),
                            a.strength()
                                    + (a instanceof AddedPerturbation
                                            ? ", crafted on sg_bptt's held-out MSE"
                                            : ""));
            double[] x = heldOut.x().clone();
            a.apply(x, heldOut.frames(), UNITS, RATE_HZ);
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(0.0, x[i]);
            }
            LabelledSequence corrupted =
                    new LabelledSequence(
                            x, heldOut.y(), heldOut.stampsS(), UNITS, heldOut.outputs());
            score(out, a.name(), data, corrupted, plain, ib, ann, classical, heldOutStart, spec);
            log.printf(Locale.ROOT, "bench robustness: regression: %s scored%n", a.name());
            log.flush();
        }
        return out;
    }

    static String epochs(RegressionOutcome o) {
        return RobustnessJobs.trainingSummary(
                o.inputGain(),
                o.bestEpoch(),
                o.trainLoss().size() - 1,
                o.stoppedEarly(),
                "R²",
                o.validationR2().get(o.bestEpoch()));
    }

    private LabelledSequence simulate() {
        IntracorticalRig rig = ReferenceCheckpoint.rigAfterCalibration(UNITS, s.seed(), 0);
        int frames = (int) Math.round(s.durationS() * RATE_HZ);
        double[] x = new double[frames * UNITS];
        double[] y = new double[frames * 2];
        double[] stamps = new double[frames];
        float[] spikes = new float[UNITS];
        double[] v = new double[2];
        for (int f = 0; f < frames; f++) {
            rig.step(spikes, v);
            for (int c = 0; c < UNITS; c++) {
                x[f * UNITS + c] = spikes[c];
            }
            y[2 * f] = v[0];
            y[2 * f + 1] = v[1];
            stamps[f] = f / RATE_HZ;
        }
        return new LabelledSequence(x, y, stamps, UNITS, 2);
    }

    private static RegressionOutcome train(
            JobConfig config, LabelledSequence data, String name, PrintWriter log) {
        long t0 = System.nanoTime();
        RegressionOutcome o =
                RegressionRecipe.run(
                        config,
                        null,
                        data,
                        RegressionRecipe.Settings.defaults(config.spec().dtMs()),
                        p -> {
                            log.printf(
                                    Locale.ROOT,
                                    "bench robustness: regression: %s epoch %d/%d validation R²"
                                            + " %.3f%n",
                                    name,
                                    p.epoch(),
                                    p.maxEpochs(),
                                    p.validationR2());
                            log.flush();
                        },
                        () -> false);
        log.printf(
                Locale.ROOT,
                "bench robustness: regression: %s held-out R² %.3f (best epoch %d, %.0f s)%n",
                name,
                o.heldOut().meanR2(),
                o.bestEpoch(),
                (System.nanoTime() - t0) / 1e9);
        log.flush();
        return o;
    }

    private static void score(
            RobustnessScores out,
            String condition,
            LabelledSequence data,
            LabelledSequence heldOut,
            RegressionOutcome plain,
            RegressionOutcome ib,
            AnnBaseline ann,
            List<RegressionBaselines.Fitted> classical,
            int heldOutStart,
            NetworkSpec spec) {
        out.put(condition, RobustnessJobs.PLAIN, snnR2(spec, plain, heldOut));
        out.put(condition, RobustnessJobs.IB, snnR2(spec, ib, heldOut));
        LabelledSequence all =
                LabelledSequence.concat(List.of(data.slice(0, heldOutStart), heldOut));
        for (int t : ANN_STEPS) {
            out.put(condition, "ann_T" + t, ann.r2(all, heldOutStart, t));
        }
        out.put(condition, "ann_relu", ann.r2(all, heldOutStart, 0));
        for (RegressionBaselines.Fitted f : classical) {
            out.put(condition, f.name(), f.score(all, heldOutStart).meanR2());
        }
    }

    private static double snnR2(NetworkSpec spec, RegressionOutcome o, LabelledSequence heldOut) {
        float[] p = HeldOutEvaluation.score(spec, o.params(), heldOut).predictions();
        return RegressionScore.of(p, heldOut.y(), heldOut.outputs(), 0, heldOut.frames()).meanR2();
    }

    /**
     * The ANN-to-SNN conversion baseline on binned counts: features are the counts of the last
     * {@value #ANN_LAGS} bins of {@value #ANN_BIN_MS} ms, z-scored on the training part; the target
     * is the mean (z-scored) velocity over the next bin, the frames the decision is held for. A
     * ReLU network 288 → 64 → 2 (Adam, 60 epochs, fixed settings: no choice is made on any score)
     * is converted ({@link ConvertedSnn}) and run T sub-steps per bin.
     */
    static final class AnnBaseline {
        private static final int HIDDEN = 64;
        private final ReluMlp ann;
        private final ConvertedSnn snn;
        private final int bin;
        private final double[] mean;
        private final double[] sd;
        private final double[] yMean;
        private final double[] ySd;

        private AnnBaseline(
                ReluMlp ann,
                ConvertedSnn snn,
                int bin,
                double[] mean,
                double[] sd,
                double[] yMean,
                double[] ySd) {
            this.ann = ann;
            this.snn = snn;
            this.bin = bin;
            this.mean = mean;
            this.sd = sd;
            this.yMean = yMean;
            this.ySd = ySd;
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%d → %d → 2 on %d-ms bins × %d lags",
                    UNITS * ANN_LAGS,
                    HIDDEN,
                    bin,
                    ANN_LAGS);
        }

        /** counts[k][c] of bin k (frames [k·bin, (k+1)·bin)). */
        static double[][] bins(LabelledSequence s, int bin) {
            int n = s.frames() / bin;
            double[][] counts = new double[n][UNITS];
            double[] x = s.x();
            for (int k = 0; k < n; k++) {
                for (int f = k * bin; f < (k + 1) * bin; f++) {
                    for (int c = 0; c < UNITS; c++) {
                        counts[k][c] += x[f * UNITS + c];
                    }
                }
            }
            return counts;
        }

        static double[] raw(double[][] counts, int k) {
            double[] v = new double[UNITS * ANN_LAGS];
            for (int l = 0; l < ANN_LAGS; l++) {
                if (k - l >= 0) {
                    System.arraycopy(counts[k - l], 0, v, l * UNITS, UNITS);
                }
            }
            return v;
        }

        static AnnBaseline fit(LabelledSequence data, int heldOutStart, long seed) {
            int bin = (int) Math.round(ANN_BIN_MS * RATE_HZ / 1000);
            double[][] counts = bins(data, bin);
            int n = heldOutStart / bin - 1; // bin k's target is bin k + 1, inside the training part
            int d = UNITS * ANN_LAGS;
            double[][] x = new double[n][];
            double[][] t = new double[n][2];
            for (int k = 0; k < n; k++) {
                x[k] = raw(counts, k);
                for (int f = (k + 1) * bin; f < (k + 2) * bin; f++) {
                    t[k][0] += data.y()[2 * f] / bin;
                    t[k][1] += data.y()[2 * f + 1] / bin;
                }
            }
            double[] mean = new double[d];
            double[] sd = new double[d];
            standardise(x, mean, sd);
            double[] yMean = new double[2];
            double[] ySd = new double[2];
            standardise(t, yMean, ySd);
            ReluMlp ann = new ReluMlp(new int[] {d, HIDDEN, 2}, seed);
            new ReluMlpTrainer(60, 32, 1e-3, 1e-4, seed).fitRegression(ann, x, t);
            return new AnnBaseline(ann, ConvertedSnn.convert(ann, x), bin, mean, sd, yMean, ySd);
        }

        /** z-scores the columns of v in place, storing each column's mean and sd (≥ 1e-9). */
        static void standardise(double[][] v, double[] mean, double[] sd) {
            int d = mean.length;
            for (double[] r : v) {
                for (int i = 0; i < d; i++) {
                    mean[i] += r[i] / v.length;
                }
            }
            for (double[] r : v) {
                for (int i = 0; i < d; i++) {
                    sd[i] += (r[i] - mean[i]) * (r[i] - mean[i]) / v.length;
                }
            }
            for (int i = 0; i < d; i++) {
                sd[i] = Math.max(1e-9, Math.sqrt(sd[i]));
            }
            for (double[] r : v) {
                for (int i = 0; i < d; i++) {
                    r[i] = (r[i] - mean[i]) / sd[i];
                }
            }
        }

        /**
         * Held-out R²: bin k's decision is held over bin k + 1's frames (the first held-out frames
         * before a decision exists get the training mean).
         *
         * @param steps T sub-steps of the converted network, or 0 for the ANN itself
         */
        double r2(LabelledSequence all, int heldOutStart, int steps) {
            double[][] counts = bins(all, bin);
            int frames = all.frames() - heldOutStart;
            float[] pred = new float[frames * 2];
            double[] out = new double[2];
            double[] in = new double[mean.length];
            int decided = Integer.MIN_VALUE;
            double p0 = yMean[0];
            double p1 = yMean[1];
            for (int f = heldOutStart; f < all.frames(); f++) {
                int k = f / bin - 1; // the last closed bin
                if (k != decided && k >= 0 && k < counts.length) {
                    decided = k;
                    double[] r = raw(counts, k);
                    for (int i = 0; i < in.length; i++) {
                        in[i] = (r[i] - mean[i]) / sd[i];
                    }
                    if (steps == 0) {
                        ann.predict(in, out);
                    } else {
                        snn.decide(in, steps, out);
                    }
                    p0 = yMean[0] + ySd[0] * out[0];
                    p1 = yMean[1] + ySd[1] * out[1];
                }
                pred[2 * (f - heldOutStart)] = (float) p0;
                pred[2 * (f - heldOutStart) + 1] = (float) p1;
            }
            double[] y = java.util.Arrays.copyOfRange(all.y(), 2 * heldOutStart, all.y().length);
            return RegressionScore.of(pred, y, 2, 0, frames).meanR2();
        }
    }
}
