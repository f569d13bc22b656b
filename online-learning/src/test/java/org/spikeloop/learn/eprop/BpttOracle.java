package org.spikeloop.learn.eprop;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ResetMode;
import org.spikeloop.snn.surrogate.Surrogate;

/**
 * Test-only float64 BPTT for one LIF/ALIF layer with a leaky readout and the MSE loss E = ½·Σ_t Σ_k
 * (y − y*)², written independently of {@link EpropReference} (reverse-mode adjoints over a stored
 * trajectory). Stands in for the SG-BPTT trainer (org.spikeloop.learn.bptt) until its gradient API
 * is in the tree. Options: {@code detachReset} stops the gradient through z_{t−1} in the reset;
 * {@code stopRecurrent} also stops it through W_rec·z_{t−1} (the e-prop "autodiff" check); the ALIF
 * adaptation keeps its own-spike path in both.
 */
final class BpttOracle {
    private BpttOracle() {}

    static Map<String, double[]> gradients(
            NetworkSpec spec,
            NetworkParams params,
            double[][] x,
            double[][] target,
            boolean detachReset,
            boolean stopRecurrent) {
        LayerSpec layer = spec.layers().get(0);
        NeuronSpec n = layer.neuron();
        int h = layer.size();
        int nIn = spec.inputs();
        int o = spec.outputs();
        int steps = x.length;
        boolean rec = layer.recurrent();
        boolean alif = n.model() == NeuronModel.ALIF;
        boolean zero = n.reset() == ResetMode.ZERO;
        double dt = spec.dtMs();
        double alpha = n.alpha(dt);
        double rho = n.rho(dt);
        double beta = alif ? n.adaptBeta() : 0.0;
        double kappa = spec.readout().kappa(dt);
        int nRef = n.refractorySteps();
        Surrogate sg = n.surrogate().create();
        double[] wIn = params.get(inputWeights(0)).data();
        double[] wRec = rec ? params.get(recurrentWeights(0)).data() : null;
        double[] b = params.get(bias(0)).data();
        double[] th = params.get(threshold(0)).data();
        double[] dl = params.get(resetOffset(0)).data();
        double[] wOut = params.get(READOUT_WEIGHT).data();
        double[] bOut = params.get(READOUT_BIAS).data();

        // Forward, storing the trajectory (index t+1 for z so that z[0] = z_{−1} = 0).
        double[][] z = new double[steps + 1][h];
        double[][] v = new double[steps + 1][h];
        double[][] psi = new double[steps][h];
        double[][] y = new double[steps + 1][o];
        double[] a = new double[h];
        double[] r = new double[h];
        for (int t = 0; t < steps; t++) {
            double[] zp = z[t];
            for (int j = 0; j < h; j++) {
                double cur = b[j];
                for (int i = 0; i < nIn; i++) {
                    cur += wIn[j * nIn + i] * x[t][i];
                }
                if (rec) {
                    for (int i = 0; i < h; i++) {
                        cur += wRec[j * h + i] * zp[i];
                    }
                }
                double vv =
                        zero
                                ? (1 - zp[j]) * alpha * v[t][j] + zp[j] * dl[j] + cur
                                : alpha * v[t][j] + cur - zp[j] * (th[j] - dl[j]);
                v[t + 1][j] = vv;
                a[j] = rho * a[j] + zp[j];
                double thr = th[j] + beta * a[j];
                boolean refr = r[j] > 0;
                double s = !refr && vv - thr > 0 ? 1 : 0;
                r[j] = Math.max(0, Math.min(nRef, r[j] + nRef * s - 1));
                z[t + 1][j] = s;
                psi[t][j] = refr ? 0 : sg.derivative(vv - thr);
            }
            for (int k = 0; k < o; k++) {
                double cur = bOut[k];
                for (int j = 0; j < h; j++) {
                    cur += wOut[k * h + j] * z[t + 1][j];
                }
                y[t + 1][k] = kappa * y[t][k] + (1 - kappa) * cur;
            }
        }

        // Backward.
        double[] gWin = new double[h * nIn];
        double[] gWrec = new double[rec ? h * h : 0];
        double[] gB = new double[h];
        double[] gWout = new double[o * h];
        double[] gBout = new double[o];
        double[] gy = new double[o];
        double[] gvNext = new double[h]; // dE/dv_{t+1}
        double[] gaNext = new double[h]; // dE/da_{t+1}
        double[] gINext = new double[h]; // dE/dI_{t+1}
        for (int t = steps - 1; t >= 0; t--) {
            for (int k = 0; k < o; k++) {
                gy[k] = (y[t + 1][k] - target[t][k]) + kappa * gy[k];
            }
            double[] gv = new double[h];
            double[] ga = new double[h];
            double[] zt = z[t + 1];
            for (int j = 0; j < h; j++) {
                double gz = 0;
                for (int k = 0; k < o; k++) {
                    gz += (1 - kappa) * wOut[k * h + j] * gy[k];
                }
                if (t + 1 < steps) {
                    if (rec && !stopRecurrent) {
                        for (int k = 0; k < h; k++) {
                            gz += wRec[k * h + j] * gINext[k];
                        }
                    }
                    if (!detachReset && !stopRecurrent) {
                        gz +=
                                zero
                                        ? (-alpha * v[t + 1][j] + dl[j]) * gvNext[j]
                                        : -(th[j] - dl[j]) * gvNext[j];
                    }
                    gz += gaNext[j]; // a_{t+1} = ρ·a_t + z_t: the adaptation's own-spike path
                }
                double gu = gz * psi[t][j];
                double decay = zero ? (1 - zt[j]) * alpha : alpha;
                gv[j] = gu + (t + 1 < steps ? decay * gvNext[j] : 0);
                ga[j] = -beta * gu + (t + 1 < steps ? rho * gaNext[j] : 0);
            }
            for (int j = 0; j < h; j++) {
                double gi = gv[j];
                for (int i = 0; i < nIn; i++) {
                    gWin[j * nIn + i] += gi * x[t][i];
                }
                if (rec) {
                    for (int i = 0; i < h; i++) {
                        if (i != j) {
                            gWrec[j * h + i] += gi * z[t][i];
                        }
                    }
                }
                gB[j] += gi;
            }
            for (int k = 0; k < o; k++) {
                for (int j = 0; j < h; j++) {
                    gWout[k * h + j] += (1 - kappa) * gy[k] * zt[j];
                }
                gBout[k] += (1 - kappa) * gy[k];
            }
            gvNext = gv;
            gaNext = ga;
            gINext = gv;
        }
        Map<String, double[]> g = new LinkedHashMap<>();
        g.put(inputWeights(0), gWin);
        if (rec) {
            g.put(recurrentWeights(0), gWrec);
        }
        g.put(bias(0), gB);
        g.put(READOUT_WEIGHT, gWout);
        g.put(READOUT_BIAS, gBout);
        return g;
    }
}
