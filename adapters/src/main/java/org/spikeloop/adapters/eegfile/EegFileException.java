package org.spikeloop.adapters.eegfile;

/**
 * A GDF/EDF/BDF file that cannot be read, or a reader that cannot run: the message is the one line
 * the command prints (it names the file and the reason).
 */
public final class EegFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EegFileException(String message) {
        super(message);
    }

    public EegFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
