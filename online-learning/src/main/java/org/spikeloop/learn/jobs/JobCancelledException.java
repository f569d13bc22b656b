package org.spikeloop.learn.jobs;

import java.util.function.BooleanSupplier;

/** A training job noticed its cancellation flag between mini-batches and stopped. */
public final class JobCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobCancelledException(String message) {
        super(message);
    }

    /**
     * The check every recipe makes between units of work, so that all of them stop with the same
     * exception and message.
     *
     * @throws JobCancelledException when {@code cancelled} is true
     */
    static void throwIf(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new JobCancelledException("cancelled");
        }
    }
}
