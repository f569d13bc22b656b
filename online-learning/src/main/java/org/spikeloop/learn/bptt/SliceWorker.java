package org.spikeloop.learn.bptt;

import java.util.Arrays;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.loss.GradientSink;
import org.spikeloop.learn.loss.ObjectiveTerm;
import org.spikeloop.snn.surrogate.Surrogate;

/**
 * One thread's share of a mini-batch: a fixed contiguous slice of samples, run forward in lockstep
 * (all its samples at step t before t + 1) storing the trajectory, then backward in reverse time
 * accumulating this slice's gradients. Owns every array it touches; nothing is shared with other
 * workers except the read-only {@link BoundParams} and batch, so no locks. Allocates only in the
 * constructor.
 *
 * <p>Trajectory layout: time-major, index ((t·count + b)·N + j), so that a step's slice is one
 * contiguous block. Weight gradients of dense projections are accumulated transposed (rows per
 * presynaptic index, one row per active spike) and transposed back by the reducer.
 *
 * <p>Backward equations (per neuron, u = v − A, ψ = σ'(u) or 0 while refractory, gz = ∂L/∂z_t): gu
 * = ψ·gz; gv_t = gu + ∂L/∂v_t + (∂v_{t+1}/∂v_t)·gv_{t+1}; ∂θ −= gu; ALIF ga_t = −β·gu + ρ·ga_{t+1}
 * and gz_{t−1} += ga_t; reset (subtract) ∂θ −= z_{t−1}gv, ∂δ += z_{t−1}gv, gz_{t−1} −= (θ − δ)gv
 * unless detached; reset (zero) ∂δ += z_{t−1}gv, gz_{t−1} += (δ − α v_{t−1})gv unless detached;
 * two-compartment gd_t = g·s_t·gv + σ_d'·g·d_t·gv + α_d·gd_{t+1}; gI = gd (or gv); gW_in +=
 * gI⊗in_t, gW_rec += gI⊗z_{t−1}, gz_{t−1} += W_recᵀgI (unless stopped), gz_t(below) += W_inᵀgI.
 */
final class SliceWorker implements GradientSink {
    private final BpttNetwork net;
    private final Population[] pops;
    final int first;
    final int count;
    final int steps;
    private final int frames;
    private final int channels;

    // trajectory
    final double[][] vT;
    final double[][] psiT;
    final byte[][] zT;
    private final double[][] dT;
    private final double[][] psiDT;
    private final byte[][] sT;
    final double[] yT;

    // forward state
    private final double[][] v;
    private final double[][] a;
    private final double[][] d;
    private final double[][] cur;
    private final int[][] refr;
    private final double[] y;
    private final double[] window;
    final long[] spikeCounts;

    // backward state
    private double[][][] gzCur;
    private double[][][] gzPrev;
    private final double[][] gvDirect;
    private final double[][] gvCarry;
    private final double[][] gaCarry;
    private final double[][] gdCarry;
    private final double[][] gI;
    private final double[] gyDirect;
    private final double[] gyCarry;

    // this slice's gradients
    final double[][] gWinT;
    final double[][] gWrecT;
    final double[][] gBias;
    final double[][] gTheta;
    final double[][] gDelta;
    final double[] gWoutT;
    final double[] gBout;

    private int sinkStep;
    private int sinkLocal;

    /**
     * ∂L/∂x laid out like the batch's x, or null when not asked for (slices write disjoint rows).
     */
    private double[] inputGradient;

    SliceWorker(BpttNetwork net, int first, int count, int frames, int channels) {
        this.net = net;
        this.pops = net.pops;
        this.first = first;
        this.count = count;
        this.frames = frames;
        this.channels = channels;
        this.steps = net.steps(frames);
        int p = pops.length;
        vT = new double[p][];
        psiT = new double[p][];
        zT = new byte[p][];
        dT = new double[p][];
        psiDT = new double[p][];
        sT = new byte[p][];
        v = new double[p][];
        a = new double[p][];
        d = new double[p][];
        cur = new double[p][];
        refr = new int[p][];
        gzCur = new double[p][][];
        gzPrev = new double[p][][];
        gvDirect = new double[p][];
        gvCarry = new double[p][];
        gaCarry = new double[p][];
        gdCarry = new double[p][];
        gI = new double[p][];
        gWinT = new double[p][];
        gWrecT = new double[p][];
        gBias = new double[p][];
        gTheta = new double[p][];
        gDelta = new double[p][];
        spikeCounts = new long[p];
        int maxWindow = 1;
        for (int i = 0; i < p; i++) {
            Population pop = pops[i];
            int n = pop.size;
            int slab = count * n;
            long traj = (long) steps * slab;
            if (traj > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "trajectory of population "
                                + pop.name
                                + " needs "
                                + traj
                                + " entries per worker; use more threads or shorter sequences");
            }
            vT[i] = new double[(int) traj];
            psiT[i] = new double[(int) traj];
            zT[i] = new byte[(int) traj];
            if (pop.twoCompartment) {
                dT[i] = new double[(int) traj];
                if (pop.dendriticSpikes) {
                    psiDT[i] = new double[(int) traj];
                    sT[i] = new byte[(int) traj];
                }
            }
            v[i] = new double[slab];
            a[i] = new double[slab];
            d[i] = new double[slab];
            cur[i] = new double[slab];
            refr[i] = new int[slab];
            gzCur[i] = new double[count][n];
            gzPrev[i] = new double[count][n];
            gvDirect[i] = new double[slab];
            gvCarry[i] = new double[slab];
            gaCarry[i] = new double[slab];
            gdCarry[i] = new double[slab];
            gI[i] = new double[slab];
            gWinT[i] = new double[pop.inputs * n];
            gWrecT[i] = pop.recurrent ? new double[n * n] : null;
            gBias[i] = new double[n];
            gTheta[i] = new double[n];
            gDelta[i] = new double[n];
            if (pop.rawInput) {
                maxWindow = Math.max(maxWindow, pop.inputs);
            }
        }
        window = new double[maxWindow];
        int o = net.outputs;
        if (net.leaky) {
            int h = net.spec.lastLayerSize();
            yT = new double[steps * count * o];
            y = new double[count * o];
            gyDirect = new double[count * o];
            gyCarry = new double[count * o];
            gWoutT = new double[h * o];
            gBout = new double[o];
        } else {
            yT = null;
            y = null;
            gyDirect = null;
            gyCarry = null;
            gWoutT = null;
            gBout = null;
        }
    }

    /** Bytes held by the stored trajectory (states the backward pass reads). */
    long trajectoryBytes() {
        long bytes = 0;
        for (int i = 0; i < pops.length; i++) {
            bytes += 8L * vT[i].length + 8L * psiT[i].length + zT[i].length;
            if (dT[i] != null) {
                bytes += 8L * dT[i].length;
            }
            if (psiDT[i] != null) {
                bytes += 8L * psiDT[i].length + sT[i].length;
            }
        }
        if (yT != null) {
            bytes += 8L * yT.length;
        }
        return bytes;
    }

    boolean fits(int newFirst, int newCount, int newFrames, int newChannels) {
        return first == newFirst
                && count == newCount
                && frames == newFrames
                && channels == newChannels;
    }

    // ------------------------------------------------------------------ forward

    /** Runs this slice forward over the whole sequence, storing the trajectory. */
    void forward(Batch batch, BoundParams p) {
        for (int i = 0; i < pops.length; i++) {
            Arrays.fill(v[i], 0.0);
            Arrays.fill(a[i], 0.0);
            Arrays.fill(d[i], 0.0);
            Arrays.fill(refr[i], 0);
            spikeCounts[i] = 0;
        }
        if (y != null) {
            Arrays.fill(y, 0.0);
        }
        final double[] x = batch.x();
        for (int n = 0; n < steps; n++) {
            int frame = net.frameOf(n);
            for (int pi = 0; pi < pops.length; pi++) {
                Population pop = pops[pi];
                final int nn = pop.size;
                final double[] in = cur[pi];
                final double[] winT = p.winT[pi];
                for (int b = 0; b < count; b++) {
                    int base = b * nn;
                    System.arraycopy(p.bias[pi], 0, in, base, nn);
                    if (pop.rawInput) {
                        double[] src;
                        int off;
                        if (pi == 0 && net.spec.conv() != null) {
                            fillWindow(x, batch, first + b, frame);
                            src = window;
                            off = 0;
                        } else {
                            src = x;
                            off = batch.offset(first + b, frame);
                        }
                        for (int i = 0; i < pop.inputs; i++) {
                            double xi = src[off + i];
                            if (xi != 0.0) {
                                axpy(xi, winT, i * nn, in, base, nn);
                            }
                        }
                    } else {
                        byte[] zb = zT[pi - 1];
                        int zo = (n * count + b) * pop.inputs;
                        for (int i = 0; i < pop.inputs; i++) {
                            if (zb[zo + i] != 0) {
                                add(winT, i * nn, in, base, nn);
                            }
                        }
                    }
                    if (pop.recurrent && n > 0) {
                        byte[] zs = zT[pi];
                        int zo = ((n - 1) * count + b) * nn;
                        double[] wrecT = p.wrecT[pi];
                        for (int j = 0; j < nn; j++) {
                            if (zs[zo + j] != 0) {
                                add(wrecT, j * nn, in, base, nn);
                            }
                        }
                    }
                    neuronStep(pi, pop, n, b, p);
                }
            }
            if (net.leaky) {
                readoutStep(n, p);
            }
        }
    }

    /** window[i·K + k] = x[b, frame − K + 1 + k, i] (zero before the first frame). */
    private void fillWindow(double[] x, Batch batch, int b, int frame) {
        final int k = net.kernel;
        final int c = channels;
        for (int kk = 0; kk < k; kk++) {
            int f = frame - k + 1 + kk;
            if (f < 0) {
                for (int i = 0; i < c; i++) {
                    window[i * k + kk] = 0.0;
                }
            } else {
                int off = batch.offset(b, f);
                for (int i = 0; i < c; i++) {
                    window[i * k + kk] = x[off + i];
                }
            }
        }
    }

    private void neuronStep(int pi, Population pop, int n, int b, BoundParams p) {
        final int nn = pop.size;
        final int base = b * nn;
        final int to = (n * count + b) * nn;
        final int po = to - count * nn;
        final boolean hasPrev = n > 0;
        final double[] in = cur[pi];
        final double[] vv = v[pi];
        final double[] aa = a[pi];
        final double[] dd = d[pi];
        final int[] rr = refr[pi];
        final double[] th = p.theta[pi];
        final double[] de = p.delta[pi];
        final byte[] z = zT[pi];
        final double[] vt = vT[pi];
        final double[] pst = psiT[pi];
        final double alpha = pop.alpha;
        final double rho = pop.rho;
        final double beta = pop.adaptBeta;
        final boolean adaptive = pop.adaptive;
        final boolean twoC = pop.twoCompartment;
        final boolean dendSpikes = pop.dendriticSpikes;
        final boolean zero = pop.zeroReset;
        final int nRef = pop.refractorySteps;
        final Surrogate sg = pop.surrogate;
        long spikes = 0;
        for (int j = 0; j < nn; j++) {
            boolean zp = hasPrev && z[po + j] != 0;
            double cj = in[base + j];
            if (twoC) {
                double dn = pop.alphaDend * dd[base + j] + cj;
                dd[base + j] = dn;
                dT[pi][to + j] = dn;
                double s = 1.0;
                if (dendSpikes) {
                    double ud = dn - pop.dendThreshold;
                    s = ud > 0.0 ? 1.0 : 0.0;
                    sT[pi][to + j] = (byte) (ud > 0.0 ? 1 : 0);
                    psiDT[pi][to + j] = pop.dendriticSurrogate.derivative(ud);
                }
                cj = pop.coupling * s * dn;
            }
            double thr = th[j];
            if (adaptive) {
                double an = rho * aa[base + j] + (zp ? 1.0 : 0.0);
                aa[base + j] = an;
                thr += beta * an;
            }
            double vn;
            if (zero) {
                vn = zp ? de[j] + cj : alpha * vv[base + j] + cj;
            } else {
                vn = alpha * vv[base + j] + cj - (zp ? th[j] - de[j] : 0.0);
            }
            vv[base + j] = vn;
            vt[to + j] = vn;
            int r = rr[base + j];
            double u = vn - thr;
            boolean spike = r <= 0 && u > 0.0;
            pst[to + j] = r > 0 ? 0.0 : sg.derivative(u);
            z[to + j] = (byte) (spike ? 1 : 0);
            if (spike) {
                spikes++;
            }
            int rn = r + (spike ? nRef : 0) - 1;
            rr[base + j] = rn < 0 ? 0 : (rn > nRef ? nRef : rn);
        }
        spikeCounts[pi] += spikes;
    }

    private void readoutStep(int n, BoundParams p) {
        final int o = net.outputs;
        final int last = pops.length - 1;
        final int h = pops[last].size;
        final byte[] z = zT[last];
        final double kappa = net.kappa;
        final double[] woutT = p.woutT;
        for (int b = 0; b < count; b++) {
            int zo = (n * count + b) * h;
            int yo = b * o;
            for (int k = 0; k < o; k++) {
                double acc = p.bout[k];
                for (int j = 0; j < h; j++) {
                    if (z[zo + j] != 0) {
                        acc += woutT[j * o + k];
                    }
                }
                double yn = kappa * y[yo + k] + (1.0 - kappa) * acc;
                y[yo + k] = yn;
                yT[(n * count + b) * o + k] = yn;
            }
        }
    }

    // ------------------------------------------------------------------ backward

    /**
     * Back-propagates through the stored trajectory, accumulating this slice's gradients.
     *
     * @param inputGradient where ∂L/∂x[b, f, i] = Σ_j W_in[j, i]·gI_f[b, j] is added for this
     *     slice's rows (layout of the batch's x), or null; first layer without a conv front-end
     */
    void backward(
            Batch batch,
            BoundParams p,
            ObjectiveTerm[] terms,
            BpttOptions options,
            double[] inputGradient) {
        this.inputGradient = inputGradient;
        for (int i = 0; i < pops.length; i++) {
            for (int b = 0; b < count; b++) {
                Arrays.fill(gzCur[i][b], 0.0);
                Arrays.fill(gzPrev[i][b], 0.0);
            }
            Arrays.fill(gvCarry[i], 0.0);
            Arrays.fill(gaCarry[i], 0.0);
            Arrays.fill(gdCarry[i], 0.0);
            Arrays.fill(gWinT[i], 0.0);
            if (gWrecT[i] != null) {
                Arrays.fill(gWrecT[i], 0.0);
            }
            Arrays.fill(gBias[i], 0.0);
            Arrays.fill(gTheta[i], 0.0);
            Arrays.fill(gDelta[i], 0.0);
        }
        if (net.leaky) {
            Arrays.fill(gyCarry, 0.0);
            Arrays.fill(gWoutT, 0.0);
            Arrays.fill(gBout, 0.0);
        }
        final boolean detach = options.resetDetached();
        final boolean stopRec = options.stopRecurrentGradient();
        for (int n = steps - 1; n >= 0; n--) {
            for (int i = 0; i < pops.length; i++) {
                double[][] t = gzCur[i];
                gzCur[i] = gzPrev[i];
                gzPrev[i] = t;
                for (int b = 0; b < count; b++) {
                    Arrays.fill(t[b], 0.0);
                }
                Arrays.fill(gvDirect[i], 0.0);
            }
            if (net.leaky) {
                Arrays.fill(gyDirect, 0.0);
            }
            sinkStep = n;
            for (int b = 0; b < count; b++) {
                sinkLocal = b;
                for (ObjectiveTerm term : terms) {
                    term.addGradient(this);
                }
            }
            if (net.leaky) {
                readoutBackward(n, p);
            }
            for (int pi = pops.length - 1; pi >= 0; pi--) {
                Population pop = pops[pi];
                for (int b = 0; b < count; b++) {
                    neuronBackward(pi, pop, n, b, p, detach);
                }
                weightGradients(pi, pop, n, batch, p);
                if (pop.recurrent && !stopRec && n > 0) {
                    addTransposedProduct(
                            p.wrecRows[pi], pop.size, pop.size, gI[pi], gzPrev[pi], count);
                }
                if (pi > 0) {
                    addTransposedProduct(
                            p.winRows[pi], pop.size, pop.inputs, gI[pi], gzCur[pi - 1], count);
                }
            }
        }
    }

    private void readoutBackward(int n, BoundParams p) {
        final int o = net.outputs;
        final int last = pops.length - 1;
        final int h = pops[last].size;
        final byte[] z = zT[last];
        final double kappa = net.kappa;
        final double leak = 1.0 - kappa;
        final double[] wout = p.wout;
        final double[][] gz = gzCur[last];
        for (int b = 0; b < count; b++) {
            int yo = b * o;
            int zo = (n * count + b) * h;
            for (int k = 0; k < o; k++) {
                double g = gyDirect[yo + k] + kappa * gyCarry[yo + k];
                gyCarry[yo + k] = g;
                double gl = leak * g;
                gBout[k] += gl;
                for (int j = 0; j < h; j++) {
                    if (z[zo + j] != 0) {
                        gWoutT[j * o + k] += gl;
                    }
                }
                if (gl != 0.0) {
                    axpy(gl, wout, k * h, gz[b], 0, h);
                }
            }
        }
    }

    private void neuronBackward(
            int pi, Population pop, int n, int b, BoundParams p, boolean detach) {
        final int nn = pop.size;
        final int base = b * nn;
        final int to = (n * count + b) * nn;
        final int po = to - count * nn;
        final boolean hasPrev = n > 0;
        final double[] gz = gzCur[pi][b];
        final double[] gzp = gzPrev[pi][b];
        final double[] gvd = gvDirect[pi];
        final double[] gvc = gvCarry[pi];
        final double[] gac = gaCarry[pi];
        final double[] gdc = gdCarry[pi];
        final double[] gi = gI[pi];
        final double[] pst = psiT[pi];
        final double[] vt = vT[pi];
        final byte[] z = zT[pi];
        final double[] th = p.theta[pi];
        final double[] de = p.delta[pi];
        final double[] gth = gTheta[pi];
        final double[] gde = gDelta[pi];
        final double[] gb = gBias[pi];
        final double alpha = pop.alpha;
        final double rho = pop.rho;
        final double beta = pop.adaptBeta;
        final boolean adaptive = pop.adaptive;
        final boolean twoC = pop.twoCompartment;
        final boolean dendSpikes = pop.dendriticSpikes;
        final boolean zero = pop.zeroReset;
        final double g = pop.coupling;
        for (int j = 0; j < nn; j++) {
            int k = base + j;
            double gu = pst[to + j] * gz[j];
            double gv = gu + gvd[k] + gvc[k];
            double gtheta = -gu;
            boolean zp = hasPrev && z[po + j] != 0;
            if (adaptive) {
                double ga = -beta * gu + gac[k];
                gac[k] = rho * ga;
                if (hasPrev) {
                    gzp[j] += ga;
                }
            }
            if (zero) {
                if (zp) {
                    gde[j] += gv;
                }
                if (!detach && hasPrev) {
                    gzp[j] += (de[j] - alpha * vt[po + j]) * gv;
                }
                gvc[k] = zp ? 0.0 : alpha * gv;
            } else {
                if (zp) {
                    gtheta -= gv;
                    gde[j] += gv;
                }
                if (!detach && hasPrev) {
                    gzp[j] -= (th[j] - de[j]) * gv;
                }
                gvc[k] = alpha * gv;
            }
            gth[j] += gtheta;
            double gin;
            if (twoC) {
                double dn = dT[pi][to + j];
                double s = 1.0;
                double gd = gdc[k];
                if (dendSpikes) {
                    s = sT[pi][to + j];
                    gd += psiDT[pi][to + j] * g * dn * gv;
                }
                gd += g * s * gv;
                gdc[k] = pop.alphaDend * gd;
                gin = gd;
            } else {
                gin = gv;
            }
            gi[k] = gin;
            gb[j] += gin;
        }
    }

    private void weightGradients(int pi, Population pop, int n, Batch batch, BoundParams p) {
        final int nn = pop.size;
        final double[] gx = pi == 0 ? inputGradient : null;
        final double[] gwin = gWinT[pi];
        final double[] gi = gI[pi];
        final double[] x = batch.x();
        final int frame = net.frameOf(n);
        for (int b = 0; b < count; b++) {
            int base = b * nn;
            if (pop.rawInput) {
                double[] src;
                int off;
                if (pi == 0 && net.spec.conv() != null) {
                    fillWindow(x, batch, first + b, frame);
                    src = window;
                    off = 0;
                } else {
                    src = x;
                    off = batch.offset(first + b, frame);
                }
                for (int i = 0; i < pop.inputs; i++) {
                    double xi = src[off + i];
                    if (xi != 0.0) {
                        axpy(xi, gi, base, gwin, i * nn, nn);
                    }
                }
                if (gx != null) {
                    final double[] winT = p.winT[pi];
                    for (int i = 0; i < pop.inputs; i++) {
                        double acc = 0.0;
                        for (int j = 0; j < nn; j++) {
                            acc += winT[i * nn + j] * gi[base + j];
                        }
                        gx[off + i] += acc;
                    }
                }
            } else {
                byte[] zb = zT[pi - 1];
                int zo = (n * count + b) * pop.inputs;
                for (int i = 0; i < pop.inputs; i++) {
                    if (zb[zo + i] != 0) {
                        add(gi, base, gwin, i * nn, nn);
                    }
                }
            }
            if (pop.recurrent && n > 0) {
                byte[] zs = zT[pi];
                int zo = ((n - 1) * count + b) * nn;
                double[] gw = gWrecT[pi];
                for (int j = 0; j < nn; j++) {
                    if (zs[zo + j] != 0) {
                        add(gi, base, gw, j * nn, nn);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ kernels

    /** dst[d..d+n) += src[s..s+n). */
    static void add(double[] src, int s, double[] dst, int d, int n) {
        for (int i = 0; i < n; i++) {
            dst[d + i] += src[s + i];
        }
    }

    /** dst[d..d+n) += c·src[s..s+n). */
    static void axpy(double c, double[] src, int s, double[] dst, int d, int n) {
        for (int i = 0; i < n; i++) {
            dst[d + i] += c * src[s + i];
        }
    }

    /**
     * out[b][c] += Σ_r g[b, r]·w[r][c] for b &lt; nb: the batch's Wᵀ·δ as one matrix product. Four
     * rows of W are combined per pass, so each output element is loaded and stored once per four
     * multiply-adds, and the four rows stay in L1 while every sample of the slice uses them. Rows
     * and outputs are separate arrays indexed from 0: with one flat array and offsets, C2 cannot
     * rule out overlap and vectorises the loop far less well (measured 3× slower).
     *
     * @param w the rows of W (rows × cols; not modified)
     * @param g row-major nb × rows (not modified)
     * @param out nb rows of length cols (accumulated)
     */
    static void addTransposedProduct(
            double[][] w, int rows, int cols, double[] g, double[][] out, int nb) {
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            final double[] a0 = w[r];
            final double[] a1 = w[r + 1];
            final double[] a2 = w[r + 2];
            final double[] a3 = w[r + 3];
            for (int b = 0; b < nb; b++) {
                int gb = b * rows + r;
                double c0 = g[gb];
                double c1 = g[gb + 1];
                double c2 = g[gb + 2];
                double c3 = g[gb + 3];
                if (c0 == 0.0 && c1 == 0.0 && c2 == 0.0 && c3 == 0.0) {
                    continue;
                }
                final double[] o = out[b];
                for (int c = 0; c < cols; c++) {
                    o[c] += c0 * a0[c] + c1 * a1[c] + c2 * a2[c] + c3 * a3[c];
                }
            }
        }
        for (; r < rows; r++) {
            final double[] a0 = w[r];
            for (int b = 0; b < nb; b++) {
                double c0 = g[b * rows + r];
                if (c0 != 0.0) {
                    final double[] o = out[b];
                    for (int c = 0; c < cols; c++) {
                        o[c] += c0 * a0[c];
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ sink

    @Override
    public int step() {
        return sinkStep;
    }

    @Override
    public int sample() {
        return first + sinkLocal;
    }

    @Override
    public void addSpike(int pop, int j, double g) {
        gzCur[pop][sinkLocal][j] += g;
    }

    @Override
    public void addMembrane(int pop, int j, double g) {
        gvDirect[pop][sinkLocal * pops[pop].size + j] += g;
    }

    @Override
    public void addReadout(int o, double g) {
        gyDirect[sinkLocal * net.outputs + o] += g;
    }
}
