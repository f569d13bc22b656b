package org.spikeloop.app.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.learn.eprop.FloatEpropLearner;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.Trainer;
import org.spikeloop.learn.train.TrainingReport;
import org.spikeloop.signal.Band;
import org.spikeloop.signal.FrontEndChain;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * The spiking motor-imagery classifier of the EEG benchmark. Front-end ({@link
 * FrontEndSpec#eegBandPower}): per channel, log band power in mu (8–12 Hz) and beta (13–30 Hz) over
 * a causal moving window, decimated to {@code featureRateHz}, z-scored with running statistics. A
 * recurrent ALIF network (τ_mem 50 ms, leaky readout τ 200 ms) steps once per feature frame; its
 * leaky readout has one output per class and is trained offline with SG-BPTT ({@link Trainer}, loss
 * {@code readout_mse}) on trial-aligned sequences of the training stream: target 0 before the
 * decision window opens, the class's one-hot vector from then until the end of imagery. A trial's
 * decision is the argmax of the readout averaged over the same post-cue window CSP+LDA classifies.
 *
 * <p>Optionally a second copy of the trained network keeps learning during the evaluation with
 * e-prop ({@link FloatEpropLearner}), from each trial's one-hot label presented only after that
 * trial's decision (until the end of imagery), so no trial is scored with its own label.
 *
 * <p>Online use ({@link #step}, {@link #openWindow}, {@link #predict}) is single-threaded and
 * allocation-free; the front-end keeps running from the training stream into the evaluation, as it
 * would in a session.
 */
final class EegSnnClassifier {
    static final String NAME = "snn_bptt";
    static final String EPROP_NAME = "snn_eprop";

    /**
     * Classifier settings. Defaults: 32 neurons, 10 epochs, 50 Hz, 0.5 s, 30 s. Architecture and
     * training length were picked on seeds 2–6 (a small network trained briefly generalises best
     * from 60 trials; ALIF beat LIF); the normaliser memory (20 vs 30 s) was compared on seeds 1–4.
     *
     * @param hidden recurrent neurons
     * @param epochs SG-BPTT epochs
     * @param featureRateHz front-end output rate (must divide the EEG rate)
     * @param powerWindowS band-power moving-average window, s
     * @param normaliserTimeConstantS running z-score memory, s
     * @param seed initialisation and shuffling seed
     */
    record Settings(
            int hidden,
            int epochs,
            double featureRateHz,
            double powerWindowS,
            double normaliserTimeConstantS,
            long seed) {
        static Settings defaults(long seed) {
            return new Settings(32, 10, 50, 0.5, 30, seed);
        }
    }

    private final FrontEndChain frontEnd;
    private final float[] features;
    private final Head frozen;
    private final Head adaptive; // null without e-prop
    private final double trainS;

    /** One network reading the shared front-end, with its readout sums over the open window. */
    private static final class Head {
        final FloatNetwork network;
        final FloatEpropLearner learner; // null: frozen
        final float[] y;
        final double[] sums;
        int frames;

        Head(FloatNetwork network, FloatEpropLearner learner, int classes) {
            this.network = network;
            this.learner = learner;
            this.y = new float[classes];
            this.sums = new double[classes];
        }

        void step(float[] x, float[] target) {
            network.step(x, y);
            if (learner != null) {
                learner.step(x, y, target);
            }
            for (int c = 0; c < y.length; c++) {
                sums[c] += y[c];
            }
            frames++;
        }

        void open() {
            java.util.Arrays.fill(sums, 0);
            frames = 0;
        }

        int argmax() {
            int best = 0;
            for (int c = 1; c < sums.length; c++) {
                if (sums[c] > sums[best]) {
                    best = c;
                }
            }
            return best;
        }
    }

    private EegSnnClassifier(
            FrontEndChain frontEnd,
            NetworkSpec spec,
            NetworkParams params,
            int classes,
            EpropConfig eprop,
            double trainS) {
        this.frontEnd = frontEnd;
        this.features = new float[frontEnd.outputChannels()];
        this.frozen = new Head(new FloatNetwork(spec, params), null, classes);
        if (eprop == null) {
            this.adaptive = null;
        } else {
            FloatNetwork network = new FloatNetwork(spec, params);
            this.adaptive = new Head(network, new FloatEpropLearner(network, eprop), classes);
        }
        this.trainS = trainS;
    }

    /**
     * The e-prop settings of the adaptive copy: Adam, MSE on the readout against the trial's
     * one-hot label; the update accumulated over a trial's labelled period is applied at its end. η
     * = 3e−3 was picked over 1e−3 and 1e−2 on seeds 1–4; none of them changed accuracy beyond a
     * trial or two either way.
     */
    static EpropConfig epropConfig() {
        return EpropConfig.builder()
                .learningRate(3e-3)
                .updateIntervalSteps(1000)
                .maxWeightChange(0.01)
                .build();
    }

    static FrontEndSpec frontEndSpec(int channels, double sampleRateHz, Settings s) {
        return FrontEndSpec.eegBandPower(
                channels,
                sampleRateHz,
                List.of(Band.MU, Band.BETA),
                s.powerWindowS(),
                s.featureRateHz(),
                s.normaliserTimeConstantS());
    }

    /**
     * Trains on the training stream.
     *
     * @param recording [T][channels] EEG frames, the stream from its start (not modified)
     * @param cues sample index of each training cue
     * @param labels class of each training trial
     * @param windowFromS decision window start after the cue
     * @param targetToS end of the labelled period after the cue (end of imagery)
     */
    static EegSnnClassifier train(
            float[][] recording,
            double sampleRateHz,
            int[] cues,
            int[] labels,
            int classes,
            double windowFromS,
            double targetToS,
            Settings s,
            EpropConfig eprop,
            PrintWriter log) {
        long t0 = System.nanoTime();
        FrontEndChain chain = frontEndSpec(recording[0].length, sampleRateHz, s).build();
        int k = chain.decimation();
        int inputs = chain.outputChannels();
        List<float[]> feats = new ArrayList<>();
        float[] out = new float[inputs];
        for (float[] frame : recording) {
            if (chain.accept(frame, out)) {
                feats.add(out.clone()); // feature frame j covers samples up to j·k + k − 1
            }
        }
        double rate = chain.outputRateHz();
        int pre = (int) Math.round(1.0 * rate);
        int from = (int) Math.round(windowFromS * rate);
        int to = (int) Math.round(targetToS * rate);
        int steps = pre + to;
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < cues.length; i++) {
            int cueFrame = cues[i] / k;
            if (cueFrame - pre >= 0 && cueFrame + to <= feats.size()) {
                usable.add(i);
            }
        }
        int n = usable.size();
        double[] x = new double[n * steps * inputs];
        double[] target = new double[n * steps * classes];
        for (int b = 0; b < n; b++) {
            int i = usable.get(b);
            int start = cues[i] / k - pre;
            for (int t = 0; t < steps; t++) {
                float[] f = feats.get(start + t);
                for (int c = 0; c < inputs; c++) {
                    x[(b * steps + t) * inputs + c] = f[c];
                }
                if (t - pre >= from) {
                    target[(b * steps + t) * classes + labels[i]] = 1.0;
                }
            }
        }
        Batch batch =
                new Batch(
                        x,
                        n,
                        steps,
                        inputs,
                        Map.of("y", new Tensor(new int[] {n, steps, classes}, target)));
        JobConfig job = JobConfig.parse(jobJson(inputs, 1000.0 / rate, classes, s));
        NetworkParams params = Initializer.initialise(job.spec(), job.init());
        TrainingReport report;
        try (Trainer trainer = new Trainer(job)) {
            report =
                    trainer.train(
                            params,
                            batch,
                            (step, total, epoch, loss, elapsedNs) -> {
                                if (step % Math.max(1, total / 5) == 0 || step == total) {
                                    log.printf(
                                            Locale.ROOT,
                                            "bench decode: EEG SNN SG-BPTT step %d/%d epoch %d loss"
                                                    + " %.4f (%.0f s)%n",
                                            step,
                                            total,
                                            epoch,
                                            loss,
                                            elapsedNs / 1e9);
                                    log.flush();
                                }
                            });
        }
        log.printf(
                Locale.ROOT,
                "bench decode: EEG SNN trained on %d trials × %d steps of %d features at %.0f Hz,"
                        + " final epoch loss %.4f%n",
                n,
                steps,
                inputs,
                rate,
                report.epochLoss().get(report.epochLoss().size() - 1));
        log.flush();
        return new EegSnnClassifier(
                chain, job.spec(), params, classes, eprop, (System.nanoTime() - t0) / 1e9);
    }

    static String jobJson(int inputs, double dtMs, int classes, Settings s) {
        return String.format(
                Locale.ROOT,
                """
                {"network": {"dtMs": %s, "inputs": %d,
                   "layers": [{"size": %d, "recurrent": true,
                               "neuron": {"model": "alif", "tauMemMs": 50}}],
                   "readout": {"type": "leaky", "size": %d, "tauOutMs": 200}},
                 "init": {"seed": %d},
                 "loss": {"name": "readout_mse"},
                 "options": {"threads": 2},
                 "training": {"optimizer": "adam", "learningRate": 0.003, "epochs": %d,
                              "batchSize": 8, "clipNorm": 1.0, "seed": %d}}
                """,
                dtMs,
                inputs,
                s.hidden(),
                classes,
                s.seed(),
                s.epochs(),
                s.seed());
    }

    /**
     * Consumes one EEG frame (continuing the training stream); steps the networks once per feature
     * frame.
     *
     * @param target one-hot label the e-prop copy learns from on this frame, or null (no learning;
     *     the frozen network never learns)
     */
    void step(float[] frame, float[] target) {
        if (frontEnd.accept(frame, features)) {
            frozen.step(features, null);
            if (adaptive != null) {
                adaptive.step(features, target);
            }
        }
    }

    /** Ends a labelled period: the e-prop copy applies the update accumulated over it. */
    void endTrial() {
        if (adaptive != null) {
            adaptive.learner.endTrial();
        }
    }

    /** Starts a new decision window: readout averaging restarts from the next feature frame. */
    void openWindow() {
        frozen.open();
        if (adaptive != null) {
            adaptive.open();
        }
    }

    /** True once the open window holds at least one readout frame. */
    boolean ready() {
        return frozen.frames > 0;
    }

    /** The frozen network's class: the largest readout averaged over the open window. */
    int predict() {
        return frozen.argmax();
    }

    /** Whether an e-prop copy runs. */
    boolean adaptive() {
        return adaptive != null;
    }

    /** The e-prop copy's class over the open window. */
    int predictAdaptive() {
        return adaptive.argmax();
    }

    /** Synaptic updates the e-prop copy has applied. */
    long adaptiveUpdates() {
        return adaptive == null ? 0 : adaptive.learner.updatesApplied();
    }

    /** Wall time of front-end pass and training, s. */
    double trainS() {
        return trainS;
    }
}
