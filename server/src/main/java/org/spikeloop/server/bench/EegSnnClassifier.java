package org.spikeloop.server.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.adapters.frontend.Band;
import org.spikeloop.adapters.frontend.FrontEndChain;
import org.spikeloop.adapters.frontend.FrontEndSpec;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.Trainer;
import org.spikeloop.learn.train.TrainingReport;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

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
 * <p>Online use ({@link #step}, {@link #openWindow}, {@link #predict}) is single-threaded and
 * allocation-free; the front-end keeps running from the training stream into the evaluation, as it
 * would in a session.
 */
final class EegSnnClassifier {
    static final String NAME = "snn_bptt";

    /**
     * @param hidden recurrent neurons
     * @param epochs SG-BPTT epochs
     * @param featureRateHz front-end output rate (must divide the EEG rate)
     * @param powerWindowS band-power moving-average window
     * @param normaliserTimeConstantS running z-score memory
     * @param seed initialisation and shuffling seed
     *     <p>Defaults: 32 neurons, 10 epochs, 50 Hz, 0.5 s, 30 s. Architecture and training length
     *     were picked on seeds 2–6 (a small network trained briefly generalises best from 60
     *     trials; ALIF beat LIF); the normaliser memory (20 vs 30 s) was compared on seeds 1–4.
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
    private final FloatNetwork network;
    private final int classes;
    private final float[] features;
    private final float[] y;
    private final double[] sums;
    private int framesInWindow;
    private final double trainS;

    private EegSnnClassifier(
            FrontEndChain frontEnd, FloatNetwork network, int classes, double trainS) {
        this.frontEnd = frontEnd;
        this.network = network;
        this.classes = classes;
        this.features = new float[frontEnd.outputChannels()];
        this.y = new float[classes];
        this.sums = new double[classes];
        this.trainS = trainS;
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
                chain,
                new FloatNetwork(job.spec(), params),
                classes,
                (System.nanoTime() - t0) / 1e9);
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
     * Consumes one EEG frame (continuing the training stream); steps the network per feature frame.
     */
    void step(float[] frame) {
        if (frontEnd.accept(frame, features)) {
            network.step(features, y);
            for (int c = 0; c < classes; c++) {
                sums[c] += y[c];
            }
            framesInWindow++;
        }
    }

    /** Starts a new decision window: readout averaging restarts from the next feature frame. */
    void openWindow() {
        java.util.Arrays.fill(sums, 0);
        framesInWindow = 0;
    }

    /** True once the open window holds at least one readout frame. */
    boolean ready() {
        return framesInWindow > 0;
    }

    /** The class whose readout, averaged over the open window, is largest. */
    int predict() {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (sums[c] > sums[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Wall time of front-end pass and training, s. */
    double trainS() {
        return trainS;
    }
}
