package org.spikeloop.app.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws sliding-window R² over time, one line per decoder, with the drift event marked (Java2D,
 * headless). NaN points (window not yet full) are gaps; values below the axis floor are clipped.
 */
final class R2Plot {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final double Y_MIN = -0.5;
    private static final double Y_MAX = 1.0;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0xff7f0e),
        new Color(0x9467bd),
        new Color(0x8c564b)
    };

    private R2Plot() {}

    /**
     * @param series decoder name → R² per bin (insertion order is the legend order)
     * @param binS seconds per bin
     * @param driftS time of the drift event in seconds
     */
    static void write(
            Path file, String title, Map<String, double[]> series, double binS, double driftS)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int bins = 0;
            for (double[] s : series.values()) {
                bins = Math.max(bins, s.length);
            }
            double xMax = bins * binS;
            int plotW = WIDTH - LEFT - RIGHT;
            int plotH = HEIGHT - TOP - BOTTOM;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            // Grid and axes.
            for (double y = Y_MIN; y <= Y_MAX + 1e-9; y += 0.25) {
                int py = TOP + (int) Math.round((Y_MAX - y) / (Y_MAX - Y_MIN) * plotH);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(LEFT, py, LEFT + plotW, py);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.2f", y), LEFT - 40, py + 4);
            }
            double xStep = xMax > 200 ? 30 : 20;
            for (double x = 0; x <= xMax + 1e-9; x += xStep) {
                int px = LEFT + (int) Math.round(x / xMax * plotW);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(px, TOP, px, TOP + plotH);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.0f", x), px - 8, TOP + plotH + 18);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, plotW, plotH);
            g.drawString("time (s of simulated evaluation)", LEFT + plotW / 2 - 90, HEIGHT - 20);
            g.drawString("R²", 20, TOP + plotH / 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, LEFT, TOP - 20);
            // Drift marker.
            int driftX = LEFT + (int) Math.round(driftS / xMax * plotW);
            g.setColor(Color.GRAY);
            g.setStroke(
                    new BasicStroke(
                            1.5f,
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER,
                            10f,
                            new float[] {6f, 4f},
                            0f));
            g.drawLine(driftX, TOP, driftX, TOP + plotH);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("drift", driftX + 4, TOP + 14);
            // Lines.
            g.setStroke(new BasicStroke(2f));
            int k = 0;
            for (Map.Entry<String, double[]> e : series.entrySet()) {
                Color color = PALETTE[k % PALETTE.length];
                g.setColor(color);
                Path2D.Double path = new Path2D.Double();
                boolean pen = false;
                double[] s = e.getValue();
                for (int b = 0; b < s.length; b++) {
                    if (Double.isNaN(s[b])) {
                        pen = false;
                        continue;
                    }
                    double y = Math.max(Y_MIN, Math.min(Y_MAX, s[b]));
                    double px = LEFT + (b + 1) * binS / xMax * plotW;
                    double py = TOP + (Y_MAX - y) / (Y_MAX - Y_MIN) * plotH;
                    if (pen) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                        pen = true;
                    }
                }
                g.draw(path);
                int ly = TOP + 20 + 22 * k;
                g.drawLine(LEFT + plotW + 15, ly, LEFT + plotW + 45, ly);
                g.setColor(Color.BLACK);
                g.drawString(e.getKey(), LEFT + plotW + 52, ly + 4);
                k++;
            }
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}
