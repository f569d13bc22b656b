package org.spikeloop.learn.jobs;

/**
 * Stop when the validation loss has not improved by more than {@code minDelta} for {@code patience}
 * epochs; the parameters of the best epoch are kept.
 *
 * @param patience epochs without improvement before stopping, &ge; 1
 * @param minDelta smallest decrease that counts as an improvement, &ge; 0
 */
public record EarlyStopping(int patience, double minDelta) {
    public EarlyStopping {
        if (patience < 1) {
            throw new IllegalArgumentException(
                    "earlyStopping.patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException(
                    "earlyStopping.minDelta must be finite and >= 0, got " + minDelta);
        }
    }
}
