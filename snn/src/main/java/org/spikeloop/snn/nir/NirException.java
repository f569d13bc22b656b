package org.spikeloop.snn.nir;

/**
 * A NIR file or graph that Spikeloop cannot read, import or write, or a network NIR cannot express.
 * The message names the node (import) or the spec field (export) and says why. It is an {@link
 * IllegalArgumentException}: the user can fix it (the CLI prints it as one line and exits 2).
 */
public final class NirException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NirException(String message) {
        super(message);
    }

    public NirException(String message, Throwable cause) {
        super(message, cause);
    }
}
