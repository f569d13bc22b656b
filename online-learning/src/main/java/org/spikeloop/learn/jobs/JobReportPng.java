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
 * A regression job's picture, drawn with Java2D (headless): the top panel shows the training and
 * inner-validation MSE per epoch on a log scale (σ² units of the standardised targets; epoch 0 is
 * the closed-form readout; the kept epoch marked), then one panel per output with the held-out
 * target and the decoder's prediction against time in seconds, titled with that output's own R²
 * next to the classical baselines'.
 */
public final class JobReportPng {
    static final int W = 1000;
    static final int PANEL_H = 240;
    static final int LEFT = 70;
    static final int RIGHT = 20;
    static final int GAP = 60;
    private static final int MAX_POINTS = 3000;
    static final Color BLUE = new Color(0x1f, 0x77, 0xb4);
    static final Color ORANGE = new Color(0xff, 0x7f, 0x0e);
    static final Color GREY = new Color(0x66, 0x66, 0x66);

    private JobReportPng() {}

    /**
     * The PNG bytes.
     *
     * @param outputNames a name per output (e.g. the labels stream's channel labels)
     */
    public static byte[] render(String title, RegressionOutcome o, List<String> outputNames) {
        System.setProperty("java.awt.headless", "true");
        LabelledSequence held = o.heldOutData();
        int outputs = held.outputs();
        int h = GAP + PANEL_H * (1 + outputs) + GAP / 2;
        BufferedImage img = new BufferedImage(W, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 20);
        int top = GAP;
        lossPanel(g, top, o);
        double[] t = new double[held.frames()];
        for (int f = 0; f < t.length; f++) {
            t[f] = held.stampsS()[f] - held.stampsS()[0];
        }
        for (int k = 0; k < outputs; k++) {
            double[] target = new double[t.length];
            double[] pred = new double[t.length];
            for (int f = 0; f < t.length; f++) {
                target[f] = held.y()[f * outputs + k];
                pred[f] = o.predictions()[f * outputs + k];
            }
            StringBuilder baselines = new StringBuilder();
            for (RegressionBaselines.Result b : o.baselines()) {
                baselines.append(
                        String.format(Locale.ROOT, ", %s %.3f", b.name(), b.heldOut().r2()[k]));
            }
            String name = k < outputNames.size() ? outputNames.get(k) : "output " + k;
            linePanel(
                    g,
                    top + PANEL_H * (k + 1),
                    String.format(
                            Locale.ROOT,
                            "held-out %s (grey: label, blue: decoded) — R² %.3f%s",
                            name,
                            o.heldOut().r2()[k],
                            baselines),
                    "time in the held-out part (s)",
                    name,
                    t,
                    new double[][] {target, pred},
                    new Color[] {GREY, BLUE},
                    false,
                    -1);
        }
        g.dispose();
        return encode(img);
    }

    static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the report PNG", e);
        }
        return out.toByteArray();
    }

    private static void lossPanel(Graphics2D g, int top, RegressionOutcome o) {
        int n = o.validationMse().size();
        double[] epochs = new double[n];
        for (int e = 0; e < n; e++) {
            epochs[e] = e;
        }
        linePanel(
                g,
                top,
                "MSE of standardised targets per epoch (log scale; blue: training, orange: inner"
                        + " validation; red: kept epoch "
                        + o.bestEpoch()
                        + "; epoch 0 = closed-form readout)",
                "epoch",
                "MSE (σ²)",
                epochs,
                new double[][] {toArray(o.trainLoss()), toArray(o.validationMse())},
                new Color[] {BLUE, ORANGE},
                true,
                o.bestEpoch());
    }

    static void linePanel(
            Graphics2D g,
            int top,
            String title,
            String xLabel,
            String yLabel,
            double[] x,
            double[][] series,
            Color[] colors,
            boolean logY,
            int markIndex) {
        int plotW = W - LEFT - RIGHT;
        int plotH = PANEL_H - GAP;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] s : series) {
            for (double v : s) {
                double w = logY ? Math.log10(v) : v;
                if (Double.isFinite(w)) {
                    min = Math.min(min, w);
                    max = Math.max(max, w);
                }
            }
        }
        if (logY && Double.isFinite(min)) { // whole decades, so the ticks are round numbers
            min = Math.floor(min);
            max = Math.max(min + 1, Math.ceil(max));
        }
        if (!(max > min)) {
            min = Double.isFinite(min) ? min : 0;
            max = min + 1.0;
        }
        double x0 = x.length == 0 ? 0 : x[0];
        double x1 = x.length < 2 ? x0 + 1 : x[x.length - 1];
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, top, plotW, plotH);
        g.drawString(title, LEFT, top - 8);
        // y ticks: decades on a log axis, five steps otherwise
        int ticks = logY ? (int) Math.round(max - min) : 4;
        for (int i = 0; i <= ticks; i++) {
            double v = min + (max - min) * i / ticks;
            int y = (int) (top + plotH * (1.0 - (double) i / ticks));
            g.drawLine(LEFT - 4, y, LEFT, y);
            String label =
                    logY
                            ? String.format(Locale.ROOT, "1e%d", (int) Math.round(v))
                            : String.format(Locale.ROOT, "%.3g", v);
            g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        // x ticks: whole numbers when the axis counts (epochs), five steps otherwise
        boolean counting = x.length > 1 && x[1] - x[0] == 1.0 && x0 == Math.rint(x0);
        int xTicks = counting ? (int) Math.max(1, Math.min(10, x1 - x0)) : 5;
        for (int i = 0; i <= xTicks; i++) {
            double v = x0 + (x1 - x0) * i / xTicks;
            int xp = LEFT + plotW * i / xTicks;
            g.drawLine(xp, top + plotH, xp, top + plotH + 4);
            String label =
                    counting
                            ? String.format(Locale.ROOT, "%.0f", v)
                            : String.format(Locale.ROOT, "%.3g", v);
            g.drawString(label, xp - g.getFontMetrics().stringWidth(label) / 2, top + plotH + 16);
        }
        g.drawString(xLabel, LEFT + plotW / 2 - 60, top + plotH + 32);
        java.awt.geom.AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, 14, top + plotH / 2.0);
        g.drawString(yLabel, 14 - g.getFontMetrics().stringWidth(yLabel) / 2, top + plotH / 2 + 4);
        g.setTransform(saved);
        g.setStroke(new BasicStroke(1.2f));
        int step = Math.max(1, x.length / MAX_POINTS);
        for (int s = 0; s < series.length; s++) {
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < series[s].length; i += step) {
                double v = logY ? Math.log10(series[s][i]) : series[s][i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double px = LEFT + plotW * (x[i] - x0) / (x1 - x0);
                double py = top + plotH * (1.0 - (v - min) / (max - min));
                if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
            }
            g.setColor(colors[s]);
            g.draw(path);
        }
        if (markIndex >= 0 && x.length > 0) {
            double px = LEFT + plotW * (markIndex - x0) / (x1 - x0);
            g.setColor(Color.RED);
            g.drawLine((int) px, top, (int) px, top + plotH);
        }
    }

    static double[] toArray(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
