package org.spikeloop.server.io;

/**
 * A session's LSL outlet as the API shows it.
 *
 * @param framesPushed frames pushed to the outlet
 * @param framesDropped frames lost because the outlet agent fell a frame ring behind
 * @param hasConsumers whether an inlet was connected at the last push
 */
public record LslOutletView(long framesPushed, long framesDropped, boolean hasConsumers) {}
