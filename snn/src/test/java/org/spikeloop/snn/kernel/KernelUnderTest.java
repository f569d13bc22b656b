package org.spikeloop.snn.kernel;

import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * Test adapter over both kernels, so hand-computed sequences run against the float64 reference and
 * the float32 production kernel alike.
 */
interface KernelUnderTest {
    boolean step(double[] x, double[] out);

    double v(int layer, int j);

    double z(int layer, int j);

    double convV(int j);

    double convZ(int j);

    /** The two kernels, by name (for parameterized tests). */
    enum Kind {
        REFERENCE,
        FLOAT32;

        KernelUnderTest create(NetworkSpec spec, NetworkParams params) {
            return this == REFERENCE ? reference(spec, params) : float32(spec, params);
        }
    }

    static KernelUnderTest reference(NetworkSpec spec, NetworkParams params) {
        ReferenceNetwork net = new ReferenceNetwork(spec, params);
        return new KernelUnderTest() {
            @Override
            public boolean step(double[] x, double[] out) {
                return net.step(x, out);
            }

            @Override
            public double v(int layer, int j) {
                return net.membrane(layer)[j];
            }

            @Override
            public double z(int layer, int j) {
                return net.spikes(layer)[j];
            }

            @Override
            public double convV(int j) {
                return net.convMembrane()[j];
            }

            @Override
            public double convZ(int j) {
                return net.convSpikes()[j];
            }
        };
    }

    static KernelUnderTest float32(NetworkSpec spec, NetworkParams params) {
        FloatNetwork net = new FloatNetwork(spec, params);
        float[] xf = new float[spec.inputs()];
        float[] outf = new float[spec.outputs()];
        return new KernelUnderTest() {
            @Override
            public boolean step(double[] x, double[] out) {
                for (int i = 0; i < x.length; i++) {
                    xf[i] = (float) x[i];
                }
                boolean stepped = net.step(xf, outf);
                for (int o = 0; o < out.length; o++) {
                    out[o] = outf[o];
                }
                return stepped;
            }

            @Override
            public double v(int layer, int j) {
                return net.layer(layer).v(j);
            }

            @Override
            public double z(int layer, int j) {
                return net.layer(layer).z(j);
            }

            @Override
            public double convV(int j) {
                return net.convLayer().v(j);
            }

            @Override
            public double convZ(int j) {
                return net.convLayer().z(j);
            }
        };
    }
}
