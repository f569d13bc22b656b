package org.spikeloop.server.engine;

/** A control command the engine refuses, with the reason (maps to FAILED_PRECONDITION). */
public final class EngineRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineRejectedException(String message) {
        super(message);
    }
}
