package org.spikeloop.server.bench;

/** The evaluation of one decoder: its scores and the wall time it took to run. */
record DecodeResult(String name, DriftScores scores, double trainS, double runS) {}
