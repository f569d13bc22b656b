package org.spikeloop.learn.jobs;

/** A training job noticed its cancellation flag between mini-batches and stopped. */
public final class JobCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobCancelledException(String message) {
        super(message);
    }
}
