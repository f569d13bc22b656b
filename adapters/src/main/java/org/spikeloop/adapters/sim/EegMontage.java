package org.spikeloop.adapters.sim;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EEG channel names and their positions on a flattened scalp, in units of the inter-electrode
 * distance of the 10-10 system around the motor strip (3.5 cm in the BCI Competition IV 2a set-up),
 * with Cz at the origin, x to the subject's right and y anterior. The simulator uses the positions
 * only to spread its cortical sources over neighbouring channels (volume conduction).
 *
 * <p>Immutable and thread-safe.
 */
public final class EegMontage {
    /** Known 10-10 positions (x, y) around the motor strip. */
    private static final Map<String, double[]> POSITIONS = new LinkedHashMap<>();

    static {
        String[] frontal = {"F3", "F1", "Fz", "F2", "F4"};
        for (int i = 0; i < frontal.length; i++) {
            POSITIONS.put(frontal[i], new double[] {i - 2, 2});
        }
        String[] rows = {"FC", "C", "CP"};
        String[] suffix = {"5", "3", "1", "z", "2", "4", "6"};
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < suffix.length; i++) {
                POSITIONS.put(rows[r] + suffix[i], new double[] {i - 3, 1 - r});
            }
        }
        POSITIONS.put("T7", new double[] {-4, 0});
        POSITIONS.put("T8", new double[] {4, 0});
        String[] parietal = {"P3", "P1", "Pz", "P2", "P4"};
        for (int i = 0; i < parietal.length; i++) {
            POSITIONS.put(parietal[i], new double[] {i - 2, -2});
        }
        POSITIONS.put("POz", new double[] {0, -3});
    }

    /** The 22 channels of the BCI Competition IV 2a recordings (Brunner et al. 2008). */
    private static final String[] STANDARD_22 = {
        "Fz", "FC3", "FC1", "FCz", "FC2", "FC4", "C5", "C3", "C1", "Cz", "C2", "C4", "C6", "CP3",
        "CP1", "CPz", "CP2", "CP4", "P1", "Pz", "P2", "POz"
    };

    private final List<String> names;
    private final double[] x;
    private final double[] y;

    private EegMontage(String[] names, double[] x, double[] y) {
        if (names.length == 0) {
            throw new IllegalArgumentException("montage must have >= 1 channel, got 0");
        }
        if (x.length != names.length || y.length != names.length) {
            throw new IllegalArgumentException(
                    "montage: "
                            + names.length
                            + " names but "
                            + x.length
                            + " x and "
                            + y.length
                            + " y positions");
        }
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < names.length; c++) {
            if (names[c] == null || names[c].isBlank()) {
                throw new IllegalArgumentException("montage: channel " + c + " has no name");
            }
            if (!seen.add(names[c])) {
                throw new IllegalArgumentException(
                        "montage: channel name '" + names[c] + "' appears twice");
            }
            if (!Double.isFinite(x[c]) || !Double.isFinite(y[c])) {
                throw new IllegalArgumentException(
                        "montage: channel '" + names[c] + "' has a non-finite position");
            }
        }
        this.names = List.of(names);
        this.x = x.clone();
        this.y = y.clone();
    }

    /** The 22-channel BCI Competition IV 2a montage centred on C3/Cz/C4 (the default). */
    public static EegMontage standard22() {
        return of(STANDARD_22);
    }

    /**
     * A montage of known 10-10 electrodes (F3…F4, FC5…FC6, T7, C5…C6, T8, CP5…CP6, P3…P4, POz).
     *
     * @throws IllegalArgumentException for no names, a duplicate or an unknown electrode
     */
    public static EegMontage of(String... names) {
        double[] x = new double[names.length];
        double[] y = new double[names.length];
        for (int c = 0; c < names.length; c++) {
            double[] p = POSITIONS.get(names[c]);
            if (p == null) {
                throw new IllegalArgumentException(
                        "montage: unknown electrode '"
                                + names[c]
                                + "'; known: "
                                + String.join(", ", POSITIONS.keySet())
                                + " (use EegMontage.custom for others)");
            }
            x[c] = p[0];
            y[c] = p[1];
        }
        return new EegMontage(names, x, y);
    }

    /** A montage with explicit positions (inter-electrode distance units, Cz at the origin). */
    public static EegMontage custom(String[] names, double[] x, double[] y) {
        return new EegMontage(names.clone(), x, y);
    }

    /** Position of a known 10-10 electrode, as {x, y} (a copy). */
    static double[] knownPosition(String name) {
        return POSITIONS.get(name).clone();
    }

    public int channels() {
        return names.size();
    }

    public List<String> channelNames() {
        return names;
    }

    public double x(int channel) {
        return x[channel];
    }

    public double y(int channel) {
        return y[channel];
    }

    /** Index of the named channel, or -1. */
    public int indexOf(String name) {
        return names.indexOf(name);
    }

    @Override
    public String toString() {
        return "EegMontage" + Arrays.toString(names.toArray());
    }
}
