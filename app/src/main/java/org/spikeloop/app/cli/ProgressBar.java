package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.spikeloop.learn.train.TrainingListener;

/**
 * A one-line progress bar on stderr: {@code [=====> ] 45/100 epoch 3 loss 0.1234 ETA 0:12}, redrawn
 * at most ten times a second (and on the last step).
 */
final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean enabled;
    private boolean drawn;
    private long lastDrawNs;

    ProgressBar(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    @Override
    public void onStep(int iteration, int total, int epoch, double loss, long elapsedNs) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && iteration < total && now - lastDrawNs < 100_000_000L) {
            return;
        }
        drawn = true;
        lastDrawNs = now;
        int filled = (int) ((long) WIDTH * iteration / total);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        bar.append(']');
        long etaS = Math.round(elapsedNs / 1e9 / iteration * (total - iteration));
        err.printf(
                Locale.ROOT,
                "\r%s %d/%d epoch %d loss %.5g ETA %d:%02d ",
                bar,
                iteration,
                total,
                epoch,
                loss,
                etaS / 60,
                etaS % 60);
        err.flush();
    }

    /** Ends the bar's line, if one was drawn. */
    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
