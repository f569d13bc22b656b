package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class KalmanDecoderTest {

    /** Empirical error covariance of the decoder on rows [from, to), after a burn-in. */
    private static double[][] errorCovariance(
            KalmanDecoder decoder, LinearGaussianSystem sys, int from, int to) {
        double[] out = new double[2];
        double[][] cov = new double[2][2];
        int count = 0;
        for (int t = from; t < to; t++) {
            decoder.decode(LinearGaussianSystem.toFloat(sys.z[t]), out);
            if (t >= from + 200) {
                double e0 = out[0] - sys.x[t][0];
                double e1 = out[1] - sys.x[t][1];
                cov[0][0] += e0 * e0;
                cov[0][1] += e0 * e1;
                cov[1][1] += e1 * e1;
                count++;
            }
        }
        cov[0][0] /= count;
        cov[0][1] /= count;
        cov[1][1] /= count;
        return cov;
    }

    @Test
    void shouldMakeErrorsWithTheCovarianceItPredicts() {
        // The Kalman filter is optimal for its model: its posterior P is the true error covariance.
        LinearGaussianSystem sys = new LinearGaussianSystem(8, 60_000, 4);
        double[][] trainX = java.util.Arrays.copyOfRange(sys.x, 0, 30_000);
        double[][] trainZ = java.util.Arrays.copyOfRange(sys.z, 0, 30_000);
        KalmanDecoder decoder = new KalmanDecoder(KalmanModel.fit(trainX, trainZ, 0), false);

        double[][] empirical = errorCovariance(decoder, sys, 30_000, 60_000);
        DMatrixRMaj p = new DMatrixRMaj(2, 2);
        decoder.posteriorCovariance(p);

        assertThat(empirical[0][0]).isCloseTo(p.get(0, 0), within(0.1 * p.get(0, 0)));
        assertThat(empirical[1][1]).isCloseTo(p.get(1, 1), within(0.1 * p.get(1, 1)));
        // And it beats the prior: error variance well below the stationary state variance.
        double stateVariance = LinearGaussianSystem.W_DIAG[0] / (1 - 0.95 * 0.95 - 0.1 * 0.1);
        assertThat(p.get(0, 0)).isLessThan(0.2 * stateVariance);
    }

    @Test
    void shouldMatchTheFullFilterOnceTheSteadyStateIsReached() {
        LinearGaussianSystem sys = new LinearGaussianSystem(8, 5000, 6);
        KalmanModel model = KalmanModel.fit(sys.x, sys.z, 0);
        KalmanDecoder full = new KalmanDecoder(model, false);
        KalmanDecoder steady = new KalmanDecoder(model, true);
        double[] a = new double[2];
        double[] b = new double[2];
        for (int t = 0; t < 5000; t++) {
            float[] z = LinearGaussianSystem.toFloat(sys.z[t]);
            full.decode(z, a);
            steady.decode(z, b);
            if (t > 500) {
                assertThat(b[0]).isCloseTo(a[0], within(1e-9));
                assertThat(b[1]).isCloseTo(a[1], within(1e-9));
            }
        }
    }

    @Test
    void shouldDecodeWithTheGainFormAndTheInformationFormAlike() {
        // Gain form K = P⁻Hᵀ(HP⁻Hᵀ + Q)⁻¹ written out with plain arrays for one step from x = 0.
        LinearGaussianSystem sys = new LinearGaussianSystem(3, 3000, 7);
        KalmanModel model = KalmanModel.fit(sys.x, sys.z, 0);
        KalmanDecoder decoder = new KalmanDecoder(model, false);
        double[] out = new double[2];
        decoder.decode(LinearGaussianSystem.toFloat(sys.z[0]), out);

        DMatrixRMaj a = model.a();
        DMatrixRMaj w = model.w();
        DMatrixRMaj h = model.h();
        DMatrixRMaj q = model.q();
        // P⁻ = A W Aᵀ + W (P starts at W), x⁻ = 0.
        DMatrixRMaj pPrior = new DMatrixRMaj(2, 2);
        org.ejml.dense.row.CommonOps_DDRM.mult(a, w, pPrior);
        DMatrixRMaj tmp = new DMatrixRMaj(2, 2);
        org.ejml.dense.row.CommonOps_DDRM.multTransB(pPrior, a, tmp);
        org.ejml.dense.row.CommonOps_DDRM.add(tmp, w, pPrior);
        DMatrixRMaj hp = new DMatrixRMaj(3, 2);
        org.ejml.dense.row.CommonOps_DDRM.mult(h, pPrior, hp);
        DMatrixRMaj s = new DMatrixRMaj(3, 3);
        org.ejml.dense.row.CommonOps_DDRM.multTransB(hp, h, s);
        org.ejml.dense.row.CommonOps_DDRM.addEquals(s, q);
        org.ejml.dense.row.CommonOps_DDRM.invert(s);
        DMatrixRMaj k = new DMatrixRMaj(2, 3);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(hp, s, k);
        double[] zMean = model.featureMean();
        double[] xMean = model.kinematicsMean();
        for (int r = 0; r < 2; r++) {
            double expected = xMean[r];
            for (int i = 0; i < 3; i++) {
                expected += k.get(r, i) * ((float) sys.z[0][i] - zMean[i]);
            }
            assertThat(out[r]).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void shouldNotAllocatePerBin() {
        LinearGaussianSystem sys = new LinearGaussianSystem(96, 3000, 8);
        KalmanDecoder full = new KalmanDecoder(KalmanModel.fit(sys.x, sys.z, 0), false);
        KalmanDecoder steady = new KalmanDecoder(KalmanModel.fit(sys.x, sys.z, 0), true);
        float[] z = LinearGaussianSystem.toFloat(sys.z[10]);
        double[] out = new double[2];
        for (int t = 0; t < 20_000; t++) {
            full.decode(z, out);
            steady.decode(z, out);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 20_000; t++) {
            full.decode(z, out);
            steady.decode(z, out);
        }

        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }

    @Test
    void shouldRejectASingularObservationNoise() {
        LinearGaussianSystem sys = new LinearGaussianSystem(4, 1000, 9);
        for (double[] row : sys.z) {
            row[3] = 1.0; // a silent unit: zero variance
        }
        KalmanModel model = KalmanModel.fit(sys.x, sys.z, 0);

        assertThatThrownBy(() -> new KalmanDecoder(model, false))
                .hasMessageContaining("fit with a noiseFloor > 0");
    }
}
