package org.spikeloop.adapters.eegfile;

/**
 * One event of an imported recording: its onset in seconds from the first sample, and its text (a
 * GDF event code such as {@code 769}, an EDF+ annotation, or a stim channel's value).
 */
public record EegMarker(double onsetS, String text) {}
