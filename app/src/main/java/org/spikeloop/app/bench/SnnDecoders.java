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
import org.spikeloop.learn.train.TrainingListener;
import org.spikeloop.learn.train.TrainingReport;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * The spiking decoders of the intracortical benchmark: one recurrent LIF network trained offline
 * with SG-BPTT ({@link Trainer}) on the training stream, then run (a) frozen and (b) with e-prop
 * ({@link FloatEpropLearner}) learning online from the true velocity of every frame.
 *
 * <p>The network steps once per 10-ms frame of spike counts and regresses velocity divided by the
 * task's peak speed (so targets are O(1)); estimates are scaled back to m/s.
 */
final class SnnDecoders implements IntracorticalDecodeBench.SnnFactory {
    static final String FROZEN = "snn_bptt_frozen";
    static final String EPROP = "snn_eprop";
    static final int SAMPLE_FRAMES = 200; // 2-s training sequences

    private final long seed;
    private final int hidden;
    private final int epochs;
    private final double speedScaleMps;
    private final PrintWriter log;

    /**
     * @param speedScaleMps velocity unit of the network's targets (the task's peak speed)
     */
    SnnDecoders(long seed, int hidden, int epochs, double speedScaleMps, PrintWriter log) {
        this.seed = seed;
        this.hidden = hidden;
        this.epochs = epochs;
        this.speedScaleMps = speedScaleMps;
        this.log = log;
    }

    String jobJson(int inputs, double frameMs) {
        return String.format(
                Locale.ROOT,
                """
                {"network": {"dtMs": %s, "inputs": %d,
                   "layers": [{"size": %d, "recurrent": true,
                               "neuron": {"model": "lif", "tauMemMs": 30}}],
                   "readout": {"type": "leaky", "size": 2, "tauOutMs": 50}},
                 "init": {"seed": %d},
                 "loss": {"name": "readout_mse"},
                 "options": {"threads": 2},
                 "training": {"optimizer": "adam", "learningRate": 0.003, "epochs": %d,
                              "batchSize": 8, "clipNorm": 1.0, "seed": %d}}
                """,
                frameMs,
                inputs,
                hidden,
                seed,
                epochs,
                seed);
    }

    @Override
    public List<DecoderUnderTest> build(
            IntracorticalStream training, double frameS, Map<String, String> missing) {
        int inputs = training.units();
        JobConfig job = JobConfig.parse(jobJson(inputs, frameS * 1000.0));
        NetworkParams params = Initializer.initialise(job.spec(), job.init());
        Batch batch = batch(training, inputs);
        TrainingReport report;
        try (Trainer trainer = new Trainer(job)) {
            TrainingListener progress =
                    (step, total, epoch, loss, elapsedNs) -> {
                        if (step % Math.max(1, total / 10) == 0 || step == total) {
                            log.printf(
                                    Locale.ROOT,
                                    "bench decode: SG-BPTT step %d/%d epoch %d loss %.4f (%.0f s)%n",
                                    step,
                                    total,
                                    epoch,
                                    loss,
                                    elapsedNs / 1e9);
                            log.flush();
                        }
                    };
            report = trainer.train(params, batch, progress);
        }
        log.printf(
                Locale.ROOT,
                "bench decode: SG-BPTT trained %d samples × %d epochs, final epoch loss %.4f%n",
                batch.size(),
                epochs,
                report.epochLoss().get(report.epochLoss().size() - 1));
        List<DecoderUnderTest> decoders = new ArrayList<>();
        decoders.add(new Frozen(FROZEN, new FloatNetwork(job.spec(), params), speedScaleMps));
        FloatNetwork adaptive = new FloatNetwork(job.spec(), params);
        EpropConfig eprop =
                EpropConfig.builder()
                        .learningRate(5e-4)
                        .updateIntervalSteps(10)
                        .maxWeightChange(0.01)
                        .build();
        decoders.add(
                new Eprop(EPROP, adaptive, new FloatEpropLearner(adaptive, eprop), speedScaleMps));
        return decoders;
    }

    /** Cuts the training stream into SAMPLE_FRAMES-long sequences: x counts, y velocity / scale. */
    private Batch batch(IntracorticalStream s, int inputs) {
        int size = s.frames() / SAMPLE_FRAMES;
        double[] x = new double[size * SAMPLE_FRAMES * inputs];
        double[] y = new double[size * SAMPLE_FRAMES * 2];
        for (int b = 0; b < size; b++) {
            for (int t = 0; t < SAMPLE_FRAMES; t++) {
                int f = b * SAMPLE_FRAMES + t;
                for (int i = 0; i < inputs; i++) {
                    x[(b * SAMPLE_FRAMES + t) * inputs + i] = s.counts[f][i];
                }
                y[(b * SAMPLE_FRAMES + t) * 2] = s.velocity[f][0] / speedScaleMps;
                y[(b * SAMPLE_FRAMES + t) * 2 + 1] = s.velocity[f][1] / speedScaleMps;
            }
        }
        return new Batch(
                x,
                size,
                SAMPLE_FRAMES,
                inputs,
                Map.of("y", new Tensor(new int[] {size, SAMPLE_FRAMES, 2}, y)));
    }

    /** The trained network, weights fixed. */
    private static final class Frozen implements DecoderUnderTest {
        private final String name;
        private final FloatNetwork network;
        private final double scale;
        private final float[] y = new float[2];

        Frozen(String name, FloatNetwork network, double scale) {
            this.name = name;
            this.network = network;
            this.scale = scale;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void frame(float[] counts, double[] velocity) {
            network.step(counts, y);
        }

        @Override
        public void estimate(double[] out) {
            out[0] = y[0] * scale;
            out[1] = y[1] * scale;
        }
    }

    /** The trained network learning online with e-prop from every frame's true velocity. */
    private static final class Eprop implements DecoderUnderTest {
        private final String name;
        private final FloatNetwork network;
        private final FloatEpropLearner learner;
        private final double scale;
        private final float[] y = new float[2];
        private final float[] target = new float[2];

        Eprop(String name, FloatNetwork network, FloatEpropLearner learner, double scale) {
            this.name = name;
            this.network = network;
            this.learner = learner;
            this.scale = scale;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void frame(float[] counts, double[] velocity) {
            network.step(counts, y);
            target[0] = (float) (velocity[0] / scale);
            target[1] = (float) (velocity[1] / scale);
            learner.step(counts, y, target);
        }

        @Override
        public void estimate(double[] out) {
            out[0] = y[0] * scale;
            out[1] = y[1] * scale;
        }
    }
}
