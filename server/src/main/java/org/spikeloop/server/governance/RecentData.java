package org.spikeloop.server.governance;

import org.spikeloop.learn.jobs.LabelledSequence;

/**
 * Recent labelled data of a session for shadow evaluation (e.g. the last minute of its XDF
 * recording, {@link XdfRecentData}).
 */
@FunctionalInterface
public interface RecentData {
    /**
     * @throws IllegalArgumentException when there is no usable labelled data yet
     */
    LabelledSequence recent();
}
