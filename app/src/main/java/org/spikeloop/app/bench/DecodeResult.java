package org.spikeloop.app.bench;

/** The evaluation of one decoder: its scores and the wall time it took to run. */
record DecodeResult(String name, DriftScores scores, double trainS, double runS) {}
