package org.spikeloop.learn.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikeloop.snn.params.Tensor;

/**
 * A set of equally long input sequences and their named targets: {@code x} is [B, T, C] (flat,
 * row-major, frames at the network's input rate) and every target's first dimension is B. Immutable
 * by convention (the arrays are not copied; nobody writes them).
 */
public final class Batch {
    private final double[] x;
    private final int size;
    private final int frames;
    private final int channels;
    private final Map<String, Tensor> targets;

    /**
     * @param x row-major [size, frames, channels] inputs (not copied)
     * @param targets name → tensor whose first dimension is {@code size} (not copied)
     * @throws InvalidDataException if the sizes disagree or the batch is empty
     */
    public Batch(double[] x, int size, int frames, int channels, Map<String, Tensor> targets) {
        if (size < 1 || frames < 1 || channels < 1) {
            throw new InvalidDataException(
                    "x",
                    "is empty: shape ["
                            + size
                            + ", "
                            + frames
                            + ", "
                            + channels
                            + "] (need at least one sample, one frame and one channel)");
        }
        if ((long) size * frames * channels != x.length) {
            throw new InvalidDataException(
                    "x",
                    "has " + x.length + " values, not " + size + "×" + frames + "×" + channels);
        }
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            if (e.getValue().rank() < 1 || e.getValue().dim(0) != size) {
                throw new InvalidDataException(
                        e.getKey(),
                        "has shape "
                                + Arrays.toString(e.getValue().shape())
                                + " but x has "
                                + size
                                + " samples");
            }
        }
        this.x = x;
        this.size = size;
        this.frames = frames;
        this.channels = channels;
        this.targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    }

    /** Number of samples B. */
    public int size() {
        return size;
    }

    /** Frames per sample T. */
    public int frames() {
        return frames;
    }

    /** Input channels C. */
    public int channels() {
        return channels;
    }

    /** The flat [B, T, C] inputs (live). */
    public double[] x() {
        return x;
    }

    /** Offset of sample b, frame t in {@link #x()}. */
    public int offset(int b, int t) {
        return (b * frames + t) * channels;
    }

    /** Whether the target {@code name} exists. */
    public boolean has(String name) {
        return targets.containsKey(name);
    }

    /** The target {@code name}. @throws InvalidDataException naming it when absent */
    public Tensor target(String name) {
        Tensor t = targets.get(name);
        if (t == null) {
            throw new InvalidDataException(name, "is missing from the data (have " + names() + ")");
        }
        return t;
    }

    /** Names of the targets. */
    public java.util.Set<String> names() {
        return targets.keySet();
    }

    /** The samples {@code rows} (in that order) as a new batch (copies). */
    public Batch select(int[] rows) {
        int per = frames * channels;
        double[] nx = new double[rows.length * per];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * per, nx, i * per, per);
        }
        LinkedHashMap<String, Tensor> nt = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            Tensor t = e.getValue();
            int tp = t.size() / size;
            double[] d = new double[rows.length * tp];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(t.data(), rows[i] * tp, d, i * tp, tp);
            }
            int[] shape = t.shape();
            shape[0] = rows.length;
            nt.put(e.getKey(), new Tensor(shape, d));
        }
        return new Batch(nx, rows.length, frames, channels, nt);
    }
}
