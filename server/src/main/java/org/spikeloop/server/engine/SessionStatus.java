package org.spikeloop.server.engine;

/** Live state of a session's engine, as the API reports it. */
public enum SessionStatus {
    RUNNING,
    STALLED,
    LEARNING,
    PAUSED,
    ERROR,
    STOPPED
}
