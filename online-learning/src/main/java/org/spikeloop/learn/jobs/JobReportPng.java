package org.spikeloop.learn.jobs;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A training job's picture, drawn with Java2D in the style of the trainer's loss curve: top panel
 * the training and validation loss per epoch (best epoch marked), bottom panels predicted vs target
 * for each output (up to two) on the held-out data. Headless.
 */
public final class JobReportPng {
    private static final int W = 900;
    private static final int PANEL_H = 260;
    private static final int M = 60;
    private static final Color BLUE = new Color(0x1f, 0x77, 0xb4);
    private static final Color ORANGE = new Color(0xff, 0x7f, 0x0e);
    private static final Color GREY = new Color(0x55, 0x55, 0x55);

    private JobReportPng() {}

    /**
     * The PNG bytes.
     *
     * @param heldOut the held-out sequence the predictions were made on
     */
    public static byte[] render(String title, JobOutcome outcome, LabelledSequence heldOut) {
        System.setProperty("java.awt.headless", "true");
        int plotsBelow = Math.min(2, heldOut.outputs());
        int h = PANEL_H * (1 + plotsBelow) + M;
        BufferedImage img = new BufferedImage(W, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(title, M, 20);
        int top = M / 2 + 10;
        double[] train = toArray(outcome.trainLoss());
        double[] val = toArray(outcome.validationLoss());
        panel(
                g,
                top,
                "loss per epoch (blue: train, orange: validation; best epoch "
                        + outcome.bestEpoch()
                        + ")",
                "epoch",
                new double[][] {train, val},
                new Color[] {BLUE, ORANGE},
                outcome.bestEpoch() - 1);
        float[] pred = outcome.finalScore().predictions();
        int o = heldOut.outputs();
        int t = heldOut.frames();
        for (int k = 0; k < plotsBelow; k++) {
            double[] target = new double[t];
            double[] p = new double[t];
            for (int f = 0; f < t; f++) {
                target[f] = heldOut.y()[f * o + k];
                p[f] = pred[f * o + k];
            }
            panel(
                    g,
                    top + PANEL_H * (k + 1),
                    String.format(
                            Locale.ROOT,
                            "held-out output %d (grey: target, blue: predicted; R² %.3f)",
                            k,
                            outcome.finalScore().r2()),
                    "frame",
                    new double[][] {target, p},
                    new Color[] {GREY, BLUE},
                    -1);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the report PNG", e);
        }
        return out.toByteArray();
    }

    private static void panel(
            Graphics2D g,
            int top,
            String title,
            String xLabel,
            double[][] series,
            Color[] colors,
            int markIndex) {
        int plotW = W - M - M / 2;
        int plotH = PANEL_H - M;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = 1;
        for (double[] s : series) {
            n = Math.max(n, s.length);
            for (double v : s) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max > min)) {
            min = Double.isFinite(min) ? min : 0;
            max = min + 1.0;
        }
        g.setColor(Color.BLACK);
        g.drawRect(M, top, plotW, plotH);
        g.drawString(title, M, top - 6);
        g.drawString(String.format(Locale.ROOT, "%.4g", max), 4, top + 10);
        g.drawString(String.format(Locale.ROOT, "%.4g", min), 4, top + plotH);
        g.drawString(xLabel, M + plotW / 2, top + plotH + 30);
        g.drawString("1", M, top + plotH + 16);
        g.drawString(Integer.toString(n), M + plotW - 20, top + plotH + 16);
        g.setStroke(new BasicStroke(1.5f));
        int den = Math.max(1, n - 1);
        for (int s = 0; s < series.length; s++) {
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < series[s].length; i++) {
                double v = series[s][i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = M + plotW * (double) i / den;
                double y = top + plotH * (1.0 - (v - min) / (max - min));
                if (started) {
                    path.lineTo(x, y);
                } else {
                    path.moveTo(x, y);
                    started = true;
                }
            }
            g.setColor(colors[s]);
            g.draw(path);
        }
        if (markIndex >= 0) {
            double x = M + plotW * (double) markIndex / den;
            g.setColor(Color.RED);
            g.drawLine((int) x, top, (int) x, top + plotH);
        }
    }

    private static double[] toArray(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
