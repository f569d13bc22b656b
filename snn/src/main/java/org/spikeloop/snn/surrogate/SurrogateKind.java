package org.spikeloop.snn.surrogate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The surrogates Spikeloop knows, by the names used in configurations and checkpoints. */
public enum SurrogateKind {
    SIGMOID("sigmoid", SigmoidSurrogate::new),
    FAST_SIGMOID("fast_sigmoid", FastSigmoidSurrogate::new),
    ARCTAN("arctan", ArctanSurrogate::new),
    TRIANGLE("triangle", TriangleSurrogate::new),
    STRAIGHT_THROUGH("straight_through", StraightThroughSurrogate::new),
    BOXCAR("boxcar", BoxcarSurrogate::new);

    private final String configName;
    private final Factory factory;

    SurrogateKind(String configName, Factory factory) {
        this.configName = configName;
        this.factory = factory;
    }

    /** The name used in configuration files and checkpoints. */
    public String configName() {
        return configName;
    }

    Surrogate create(double scale, double gain) {
        return factory.create(scale, gain);
    }

    /**
     * Looks a surrogate up by its configuration name.
     *
     * @throws IllegalArgumentException naming the known surrogates when {@code name} is unknown
     */
    public static SurrogateKind byName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (SurrogateKind kind : values()) {
            if (kind.configName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "surrogate.name '"
                        + name
                        + "' is unknown; known: "
                        + Arrays.stream(values())
                                .map(SurrogateKind::configName)
                                .collect(Collectors.joining(", ")));
    }

    @FunctionalInterface
    private interface Factory {
        Surrogate create(double scale, double gain);
    }
}
