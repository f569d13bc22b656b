package org.spikeloop.adapters.sim;

/**
 * What the simulated subject imagines in a trial. Class index i of {@link EegConfig} is {@code
 * values()[i]}: two classes are left and right hand, three add feet, four add rest.
 *
 * <p>Event-related desynchronisation (Pfurtscheller &amp; Lopes da Silva 1999): hand imagery
 * suppresses mu and beta over the contralateral sensorimotor cortex (left hand → C4, right hand →
 * C3), feet imagery over the vertex (Cz); rest suppresses nothing.
 */
public enum ImageryKind {
    LEFT_HAND,
    RIGHT_HAND,
    FEET,
    REST
}
