package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class KalmanModelTest {

    @Test
    void shouldRecoverTheTrueSystemAndObservationModels() {
        LinearGaussianSystem sys = new LinearGaussianSystem(12, 40_000, 1);

        KalmanModel model = KalmanModel.fit(sys.x, sys.z, 0.0);

        DMatrixRMaj a = model.a();
        DMatrixRMaj w = model.w();
        DMatrixRMaj h = model.h();
        DMatrixRMaj q = model.q();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                assertThat(a.get(r, c)).isCloseTo(LinearGaussianSystem.A[r][c], within(0.01));
            }
            assertThat(w.get(r, r))
                    .isCloseTo(
                            LinearGaussianSystem.W_DIAG[r],
                            within(0.05 * LinearGaussianSystem.W_DIAG[r]));
        }
        assertThat(w.get(0, 1)).isCloseTo(0.0, within(0.002));
        for (int i = 0; i < sys.n; i++) {
            assertThat(h.get(i, 0)).isCloseTo(sys.h[i][0], within(0.03));
            assertThat(h.get(i, 1)).isCloseTo(sys.h[i][1], within(0.03));
            assertThat(q.get(i, i)).isCloseTo(sys.qDiag[i], within(0.05 * sys.qDiag[i]));
            assertThat(model.featureMean()[i]).isCloseTo(sys.offset[i], within(0.2));
        }
    }

    @Test
    void shouldAddTheNoiseFloorToQ() {
        LinearGaussianSystem sys = new LinearGaussianSystem(4, 2000, 2);

        double plain = KalmanModel.fit(sys.x, sys.z, 0.0).q().get(2, 2);
        double floored = KalmanModel.fit(sys.x, sys.z, 0.25).q().get(2, 2);

        assertThat(floored - plain).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void shouldRejectMismatchedLengths() {
        assertThatThrownBy(() -> KalmanModel.fit(new double[10][2], new double[9][3], 0))
                .hasMessage("kinematics has 10 rows but features has 9");
    }

    @Test
    void shouldRejectNonFiniteData() {
        double[][] z = new double[10][3];
        z[4][1] = Double.NaN;

        assertThatThrownBy(() -> KalmanModel.fit(new double[10][2], z, 0))
                .hasMessage("features row 4 holds NaN");
    }

    @Test
    void shouldRejectConstantKinematics() {
        assertThatThrownBy(() -> KalmanModel.fit(new double[10][2], new double[10][3], 0))
                .hasMessageContaining("do not span their space");
    }

    @Test
    void shouldRejectANegativeNoiseFloor() {
        LinearGaussianSystem sys = new LinearGaussianSystem(4, 100, 3);

        assertThatThrownBy(() -> KalmanModel.fit(sys.x, sys.z, -1))
                .hasMessage("noiseFloor must be finite and >= 0, got -1.0");
    }
}
