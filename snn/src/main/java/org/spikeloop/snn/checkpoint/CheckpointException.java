package org.spikeloop.snn.checkpoint;

/**
 * A checkpoint could not be read, written or converted: bad magic, unsupported format version,
 * checksum mismatch, truncation, malformed structure, non-finite values, or parameters that do not
 * fit the architecture. The message says which, and names the file, byte offset or parameter
 * concerned; whoever caught it has not been changed by the failed operation.
 */
public final class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
