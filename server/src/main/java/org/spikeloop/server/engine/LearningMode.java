package org.spikeloop.server.engine;

/** Whether the learner may change weights. */
public enum LearningMode {
    /** Updates applied every update interval. */
    ENABLED,
    /** No updates; can be re-enabled. */
    PAUSED,
    /** No updates; enabling is refused until the mode is set back to PAUSED (a deliberate lock). */
    FROZEN
}
