package org.spikeloop.adapters.eegfile;

/**
 * One signal channel of an imported recording: its label, MNE's channel type in upper case ({@code
 * EEG}, {@code EOG}, {@code EMG}, {@code MISC}, ...) and its unit ({@value #MICROVOLTS} for every
 * voltage channel, else the file's own unit text, possibly empty).
 */
public record EegChannel(String label, String type, String unit) {
    /** The XDF meta-data convention's spelling of µV. */
    public static final String MICROVOLTS = "microvolts";
}
