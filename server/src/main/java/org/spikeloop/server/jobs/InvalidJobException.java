package org.spikeloop.server.jobs;

/**
 * A job request or its data is unusable (no labels, wrong channel count, truncated recording,
 * invalid config, ...). Thrown before anything is written, so the registry is unchanged.
 */
public final class InvalidJobException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidJobException(String message) {
        super(message);
    }

    public InvalidJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
