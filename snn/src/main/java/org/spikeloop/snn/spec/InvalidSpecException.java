package org.spikeloop.snn.spec;

/**
 * A configuration value is out of range or inconsistent. The message starts with the field's path
 * (e.g. {@code layers[0].neuron.tauMemMs}) so a user can find it in their file.
 */
public final class InvalidSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidSpecException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** The path of the offending field. */
    public String field() {
        return field;
    }

    /** The same problem, with {@code prefix.} put in front of the field path. */
    public InvalidSpecException under(String prefix) {
        InvalidSpecException moved =
                new InvalidSpecException(
                        prefix + "." + field, getMessage().substring(field.length() + 1));
        moved.initCause(this);
        return moved;
    }

    static void requirePositive(String field, double value) {
        if (!(value > 0.0) || !Double.isFinite(value)) {
            throw new InvalidSpecException(field, "must be finite and > 0, got " + value);
        }
    }

    static void requireNonNegative(String field, double value) {
        if (!(value >= 0.0) || !Double.isFinite(value)) {
            throw new InvalidSpecException(field, "must be finite and >= 0, got " + value);
        }
    }

    static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidSpecException(field, "must be finite, got " + value);
        }
    }

    static void requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new InvalidSpecException(field, "must be >= " + min + ", got " + value);
        }
    }

    static <T> T requirePresent(String field, T value) {
        if (value == null) {
            throw new InvalidSpecException(field, "is missing");
        }
        return value;
    }
}
