package org.spikeloop.learn.data;

/**
 * Training or gradient data is unusable: a non-finite value, a wrong shape, a missing or unknown
 * entry, an empty set. The message starts with the field (npz entry) name.
 */
public final class InvalidDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidDataException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** The offending field (npz entry name, or config path). */
    public String field() {
        return field;
    }
}
