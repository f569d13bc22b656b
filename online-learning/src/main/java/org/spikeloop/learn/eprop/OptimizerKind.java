package org.spikeloop.learn.eprop;

/** The update rule applied to the accumulated e-prop gradient. */
public enum OptimizerKind {
    /** w ← w − η·g. */
    SGD,
    /**
     * Adam (Kingma &amp; Ba 2015, Algorithm 1) with bias correction, one moment pair per parameter.
     */
    ADAM
}
