package org.spikeloop.learn.bptt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.data.InvalidDataException;
import org.spikeloop.learn.loss.ObjectiveTerm;
import org.spikeloop.learn.loss.Rollout;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * Exact surrogate-gradient backpropagation through time (Neftci, Mostafa &amp; Zenke 2019; Bellec
 * et al. 2020, Methods eq. (1)–(3) for the gradient's structure) for every network a {@link
 * org.spikeloop.snn.spec.NetworkSpec} describes. The forward pass keeps exact Heaviside spikes and
 * stores the trajectory in float64; the backward pass runs in reverse time with the surrogate
 * derivative at every spiking nonlinearity (soma and dendrite), zero while refractory.
 *
 * <p>Threading: the mini-batch is cut into {@link BpttOptions#threads()} fixed contiguous slices,
 * one {@link SliceWorker} each, run on this engine's own pool; the caller's thread evaluates the
 * objective between the passes and sums the slices' gradients in slice order, so a fixed thread
 * count gives bit-identical results. One {@link #compute} at a time (not re-entrant). Workers and
 * their trajectory buffers are reused while the batch shape stays the same.
 */
public final class BpttEngine implements AutoCloseable, Rollout {
    private final BpttNetwork net;
    private final BpttOptions options;
    private final BoundParams bound;
    private final ExecutorService pool;
    private SliceWorker[] workers = new SliceWorker[0];
    private int[] ownerOf = new int[0];
    private Batch batch;

    public BpttEngine(BpttNetwork net, BpttOptions options) {
        this.net = net;
        this.options = options;
        this.bound = new BoundParams(net);
        if (options.threads() > 1) {
            AtomicInteger id = new AtomicInteger();
            pool =
                    Executors.newFixedThreadPool(
                            options.threads(),
                            r -> {
                                Thread t = new Thread(r, "bptt-worker-" + id.getAndIncrement());
                                t.setDaemon(true);
                                return t;
                            });
        } else {
            pool = null;
        }
    }

    /** The compiled network. */
    public BpttNetwork network() {
        return net;
    }

    /** The options. */
    public BpttOptions options() {
        return options;
    }

    /**
     * Runs the batch forward, evaluates the objective and back-propagates.
     *
     * @param params the parameters (not modified; read by the workers during the call)
     * @param batch inputs [B, T, C] and targets
     * @param terms the objective's terms (losses and regularisers)
     * @throws InvalidDataException naming the field when the batch does not fit the network or a
     *     term's targets
     */
    public GradientResult compute(NetworkParams params, Batch batch, List<ObjectiveTerm> terms) {
        return compute(params, batch, terms, null);
    }

    /**
     * As {@link #compute(NetworkParams, Batch, List)}, and adds the objective's gradient with
     * respect to the inputs, ∂L/∂x[b, f, i] = Σ_t Σ_j W_in[j, i]·∂L/∂I_t[b, j] (the first layer's
     * input current I, through the same surrogate), to {@code inputGradient} — what a
     * gradient-based perturbation of the input (FGSM) needs.
     *
     * @param inputGradient laid out like {@code batch.x()} (accumulated), or null for none
     * @throws IllegalArgumentException when asked for with a conv front-end or a wrong length
     */
    public GradientResult compute(
            NetworkParams params, Batch batch, List<ObjectiveTerm> terms, double[] inputGradient) {
        if (inputGradient != null
                && (net.spec.conv() != null || inputGradient.length != batch.x().length)) {
            throw new IllegalArgumentException(
                    "an input gradient needs a network without a conv front-end and "
                            + batch.x().length
                            + " entries, got "
                            + inputGradient.length);
        }
        if (batch.channels() != net.spec.inputs()) {
            throw new InvalidDataException(
                    "x",
                    "has "
                            + batch.channels()
                            + " channels but the network has "
                            + net.spec.inputs()
                            + " inputs");
        }
        int steps = net.steps(batch.frames());
        if (steps < 1) {
            throw new InvalidDataException(
                    "x",
                    "has "
                            + batch.frames()
                            + " frames, too few for the conv front-end to produce a step");
        }
        for (ObjectiveTerm t : terms) {
            t.check(batch, steps);
        }
        bound.bind(net, params);
        prepareWorkers(batch);
        this.batch = batch;
        ObjectiveTerm[] termArray = terms.toArray(new ObjectiveTerm[0]);
        run(w -> w.forward(batch, bound));
        LinkedHashMap<String, Double> values = new LinkedHashMap<>();
        double loss = 0.0;
        for (ObjectiveTerm t : termArray) {
            double value = t.evaluate(this);
            String key = t.name();
            int k = 2;
            while (values.containsKey(key)) {
                key = t.name() + "#" + k++;
            }
            values.put(key, value);
            loss += value;
        }
        run(w -> w.backward(batch, bound, termArray, options, inputGradient));
        Gradients g = reduce();
        return new GradientResult(loss, values, g, trajectoryBytes(), rates(batch));
    }

    /** Bytes of the trajectory currently stored (all workers). */
    public long trajectoryBytes() {
        long bytes = 0;
        for (SliceWorker w : workers) {
            bytes += w.trajectoryBytes();
        }
        return bytes;
    }

    private Map<String, Double> rates(Batch batch) {
        LinkedHashMap<String, Double> r = new LinkedHashMap<>();
        int steps = net.steps(batch.frames());
        for (int p = 0; p < net.pops.length; p++) {
            long spikes = 0;
            for (SliceWorker w : workers) {
                spikes += w.spikeCounts[p];
            }
            double seconds = steps * net.spec.dtMs() / 1000.0;
            r.put(net.pops[p].name, spikes / (seconds * batch.size() * net.pops[p].size));
        }
        return r;
    }

    private void prepareWorkers(Batch batch) {
        int n = Math.min(options.threads(), batch.size());
        boolean same = workers.length == n;
        for (int k = 0; same && k < n; k++) {
            int first = (int) ((long) k * batch.size() / n);
            int count = (int) ((long) (k + 1) * batch.size() / n) - first;
            same = workers[k].fits(first, count, batch.frames(), batch.channels());
        }
        if (same) {
            return;
        }
        workers = new SliceWorker[n];
        ownerOf = new int[batch.size()];
        for (int k = 0; k < n; k++) {
            int first = (int) ((long) k * batch.size() / n);
            int count = (int) ((long) (k + 1) * batch.size() / n) - first;
            workers[k] = new SliceWorker(net, first, count, batch.frames(), batch.channels());
            for (int b = first; b < first + count; b++) {
                ownerOf[b] = k;
            }
        }
    }

    private interface WorkerTask {
        void run(SliceWorker w);
    }

    private void run(WorkerTask task) {
        if (pool == null || workers.length == 1) {
            for (SliceWorker w : workers) {
                task.run(w);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (SliceWorker w : workers) {
            futures.add(pool.submit(() -> task.run(w)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing gradients", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                if (c instanceof Error) {
                    throw (Error) c;
                }
                throw new IllegalStateException(c);
            }
        }
    }

    /** Sums the workers' gradients in slice order and transposes the weight gradients back. */
    private Gradients reduce() {
        Gradients g = new Gradients(net.spec);
        for (int p = 0; p < net.pops.length; p++) {
            Population pop = net.pops[p];
            int nn = pop.size;
            double[] win = g.get(pop.weightName).data();
            double[] bias = g.get(pop.biasName).data();
            double[] theta = g.get(pop.thresholdName).data();
            double[] delta = g.get(pop.resetOffsetName).data();
            double[] rec = pop.recurrent ? g.get(pop.recurrentName).data() : null;
            for (SliceWorker w : workers) {
                addTransposed(w.gWinT[p], pop.inputs, nn, win);
                if (rec != null) {
                    addTransposed(w.gWrecT[p], nn, nn, rec);
                }
                for (int j = 0; j < nn; j++) {
                    bias[j] += w.gBias[p][j];
                    theta[j] += w.gTheta[p][j];
                    delta[j] += w.gDelta[p][j];
                }
            }
            if (rec != null) {
                for (int j = 0; j < nn; j++) {
                    rec[j * nn + j] = 0.0; // no autapses: the diagonal is not a parameter
                }
            }
        }
        if (net.leaky) {
            int h = net.spec.lastLayerSize();
            Tensor wout = g.get(org.spikeloop.snn.params.ParameterNames.READOUT_WEIGHT);
            Tensor bout = g.get(org.spikeloop.snn.params.ParameterNames.READOUT_BIAS);
            for (SliceWorker w : workers) {
                addTransposed(w.gWoutT, h, net.outputs, wout.data());
                for (int k = 0; k < net.outputs; k++) {
                    bout.data()[k] += w.gBout[k];
                }
            }
        }
        return g;
    }

    /** out[c, r] += in[r, c] for in rows × cols. */
    private static void addTransposed(double[] in, int rows, int cols, double[] out) {
        for (int r = 0; r < rows; r++) {
            int ro = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] += in[ro + c];
            }
        }
    }

    // ---- Rollout: read access for the objective between the passes ----

    @Override
    public Batch batch() {
        return batch;
    }

    @Override
    public int steps() {
        return workers[0].steps;
    }

    @Override
    public boolean spike(int pop, int t, int b, int j) {
        SliceWorker w = workers[ownerOf[b]];
        return w.zT[pop][(t * w.count + b - w.first) * net.pops[pop].size + j] != 0;
    }

    @Override
    public double membrane(int pop, int t, int b, int j) {
        SliceWorker w = workers[ownerOf[b]];
        return w.vT[pop][(t * w.count + b - w.first) * net.pops[pop].size + j];
    }

    @Override
    public double readout(int t, int b, int o) {
        SliceWorker w = workers[ownerOf[b]];
        return w.yT[(t * w.count + b - w.first) * net.outputs + o];
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
