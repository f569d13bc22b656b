package org.spikeloop.server.security;

/** What a token may do. Operator includes everything a viewer may do. */
public enum Role {
    /** Read sessions, statistics and learning state; watch decoded frames. */
    VIEWER,
    /** Also create/stop sessions, push samples and labels, control learning and checkpoints. */
    OPERATOR;

    /** Whether this role may call a method that requires {@code required}. */
    public boolean allows(Role required) {
        return this == OPERATOR || required == VIEWER;
    }
}
