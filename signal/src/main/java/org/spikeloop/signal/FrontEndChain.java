package org.spikeloop.signal;

import java.util.List;

/**
 * Stages run in order, each feeding the next: a frame travels down the chain until a stage holds it
 * back (a decimating stage between outputs), and the chain emits a frame when the last stage does.
 * The chain is itself a {@link FrontEnd}, with the first stage's input and the last stage's output;
 * its decimation is the product of the stages'.
 *
 * <p>Single-threaded; {@link #accept} allocates nothing (one preallocated buffer per stage
 * boundary).
 */
public final class FrontEndChain implements FrontEnd {
    private final FrontEnd[] stages;
    private final float[][] buffers; // buffers[i] = output of stage i, for i < last
    private final int decimation;

    /**
     * @param stages at least one; each stage's input channels and rate must match the previous
     *     stage's output channels and rate
     * @throws IllegalArgumentException naming the first mismatching stage
     */
    public FrontEndChain(List<? extends FrontEnd> stages) {
        if (stages == null || stages.isEmpty()) {
            throw new IllegalArgumentException("a front-end chain needs at least one stage");
        }
        this.stages = stages.toArray(new FrontEnd[0]);
        this.buffers = new float[this.stages.length - 1][];
        int product = 1;
        for (int i = 0; i < this.stages.length; i++) {
            FrontEnd stage = this.stages[i];
            if (i > 0) {
                FrontEnd prev = this.stages[i - 1];
                if (prev.outputChannels() != stage.inputChannels()) {
                    throw new IllegalArgumentException(
                            "stage "
                                    + i
                                    + " ("
                                    + stage.getClass().getSimpleName()
                                    + ") takes "
                                    + stage.inputChannels()
                                    + " channels but stage "
                                    + (i - 1)
                                    + " emits "
                                    + prev.outputChannels());
                }
                if (Math.abs(prev.outputRateHz() - stage.inputRateHz())
                        > 1e-9 * stage.inputRateHz()) {
                    throw new IllegalArgumentException(
                            "stage "
                                    + i
                                    + " ("
                                    + stage.getClass().getSimpleName()
                                    + ") expects "
                                    + stage.inputRateHz()
                                    + " Hz but stage "
                                    + (i - 1)
                                    + " emits "
                                    + prev.outputRateHz()
                                    + " Hz");
                }
            }
            if (i < this.stages.length - 1) {
                buffers[i] = new float[stage.outputChannels()];
            }
            product = Math.multiplyExact(product, stage.decimation());
        }
        this.decimation = product;
    }

    @Override
    public boolean accept(float[] sample, float[] out) {
        final FrontEnd[] s = stages;
        final int last = s.length - 1;
        float[] in = sample;
        for (int i = 0; i < last; i++) {
            float[] next = buffers[i];
            if (!s[i].accept(in, next)) {
                return false;
            }
            in = next;
        }
        return s[last].accept(in, out);
    }

    @Override
    public void reset() {
        for (FrontEnd stage : stages) {
            stage.reset();
        }
    }

    /** Number of stages. */
    public int size() {
        return stages.length;
    }

    /** Stage {@code i} (0 = first). */
    public FrontEnd stage(int i) {
        return stages[i];
    }

    @Override
    public int inputChannels() {
        return stages[0].inputChannels();
    }

    @Override
    public int outputChannels() {
        return stages[stages.length - 1].outputChannels();
    }

    @Override
    public double inputRateHz() {
        return stages[0].inputRateHz();
    }

    @Override
    public int decimation() {
        return decimation;
    }
}
