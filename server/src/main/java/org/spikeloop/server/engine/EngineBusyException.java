package org.spikeloop.server.engine;

/** The engine's command queue is full (maps to UNAVAILABLE; retry later). */
public final class EngineBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineBusyException(String message) {
        super(message);
    }
}
