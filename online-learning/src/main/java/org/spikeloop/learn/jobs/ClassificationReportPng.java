package org.spikeloop.learn.jobs;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A classification job's picture (Java2D, headless): the top panel shows the training loss and the
 * inner validation trials' cross-entropy per epoch on a log scale (epoch 0 is the closed-form
 * readout; the kept epoch marked); the bottom panel one bar per held-out trial, its height the
 * probability the decoder gave the trial's class (green: decided right, red: wrong; the dashed line
 * is 1/K), titled with the accuracy next to the classical baselines'.
 */
public final class ClassificationReportPng {
    private static final Color GREEN = new Color(0x2c, 0xa0, 0x2c);
    private static final Color RED = new Color(0xd6, 0x27, 0x28);

    private ClassificationReportPng() {}

    /** The PNG bytes. */
    public static byte[] render(String title, ClassificationOutcome o) {
        System.setProperty("java.awt.headless", "true");
        int w = JobReportPng.W;
        int ph = JobReportPng.PANEL_H;
        int h = JobReportPng.GAP + 2 * ph + JobReportPng.GAP / 2;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(title, JobReportPng.LEFT, 20);
        int top = JobReportPng.GAP;
        int n = o.validationCrossEntropy().size();
        double[] epochs = new double[n];
        for (int e = 0; e < n; e++) {
            epochs[e] = e;
        }
        JobReportPng.linePanel(
                g,
                top,
                "cross-entropy per epoch (log scale; blue: training, orange: inner validation"
                        + " trials; red: kept epoch "
                        + o.bestEpoch()
                        + "; epoch 0 = closed-form readout)",
                "epoch",
                "cross-entropy",
                epochs,
                new double[][] {
                    JobReportPng.toArray(o.trainLoss()),
                    JobReportPng.toArray(o.validationCrossEntropy())
                },
                new Color[] {JobReportPng.BLUE, JobReportPng.ORANGE},
                true,
                o.bestEpoch());
        trialPanel(g, top + ph, o);
        g.dispose();
        return JobReportPng.encode(img);
    }

    private static void trialPanel(Graphics2D g, int top, ClassificationOutcome o) {
        ClassificationScore s = o.heldOut();
        int left = JobReportPng.LEFT;
        int plotW = JobReportPng.W - left - JobReportPng.RIGHT;
        int plotH = JobReportPng.PANEL_H - JobReportPng.GAP;
        StringBuilder baselines = new StringBuilder();
        for (ClassificationBaselines.Result b : o.baselines()) {
            baselines.append(", ").append(b.name()).append(' ');
            baselines.append(
                    b.skipped()
                            ? "skipped"
                            : String.format(Locale.ROOT, "%.3f", b.heldOut().accuracy()));
        }
        g.setColor(Color.BLACK);
        g.drawString(
                String.format(
                        Locale.ROOT,
                        "held-out trials: probability of the true class (green right, red wrong)"
                                + " — accuracy %.3f (%d/%d)%s",
                        s.accuracy(),
                        s.correct(),
                        s.count(),
                        baselines),
                left,
                top - 8);
        g.drawRect(left, top, plotW, plotH);
        for (int i = 0; i <= 4; i++) {
            int y = top + plotH - plotH * i / 4;
            String label = String.format(Locale.ROOT, "%.2f", i / 4.0);
            g.drawLine(left - 4, y, left, y);
            g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        int n = s.count();
        double bar = n == 0 ? 0 : (double) plotW / n;
        for (int i = 0; i < n; i++) {
            double p = s.probabilities() == null ? Double.NaN : s.probabilities()[i][s.truth()[i]];
            if (!Double.isFinite(p)) {
                continue;
            }
            int x = (int) (left + i * bar + bar * 0.15);
            int bw = Math.max(1, (int) (bar * 0.7));
            int bh = (int) Math.round(plotH * p);
            g.setColor(s.truth()[i] == s.decision()[i] ? GREEN : RED);
            g.fillRect(x, top + plotH - bh, bw, bh);
        }
        int chance = top + plotH - (int) Math.round(plotH / (double) s.classNames().size());
        g.setColor(JobReportPng.GREY);
        for (int x = left; x < left + plotW; x += 8) {
            g.drawLine(x, chance, Math.min(x + 4, left + plotW), chance);
        }
        g.setColor(Color.BLACK);
        g.drawString("held-out trial, in time order", left + plotW / 2 - 80, top + plotH + 20);
    }
}
