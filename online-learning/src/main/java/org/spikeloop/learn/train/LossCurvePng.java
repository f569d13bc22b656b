package org.spikeloop.learn.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws a loss curve (loss per step, linear axes) as a PNG with Java2D; headless. */
public final class LossCurvePng {
    private static final int W = 800;
    private static final int H = 480;
    private static final int M = 60;

    private LossCurvePng() {}

    /** Writes the curve of {@code loss} to {@code out}. */
    public static void write(List<Double> loss, String title, Path out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : loss) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (!(max > min)) {
            max = min + 1.0;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(M, M / 2, W - M - M / 2, H - M - M / 2);
        g.drawString(title, M, M / 2 - 8);
        g.drawString(String.format(Locale.ROOT, "%.4g", max), 4, M / 2 + 10);
        g.drawString(String.format(Locale.ROOT, "%.4g", min), 4, H - M);
        g.drawString("step", W / 2, H - 20);
        g.drawString("1", M, H - M + 16);
        g.drawString(Integer.toString(loss.size()), W - M, H - M + 16);
        int plotW = W - M - M / 2;
        int plotH = H - M - M / 2;
        Path2D.Double path = new Path2D.Double();
        int n = Math.max(1, loss.size() - 1);
        for (int i = 0; i < loss.size(); i++) {
            double x = M + plotW * (double) i / n;
            double y = M / 2 + plotH * (1.0 - (loss.get(i) - min) / (max - min));
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        g.setColor(new Color(0x1f, 0x77, 0xb4));
        g.setStroke(new BasicStroke(1.5f));
        g.draw(path);
        g.dispose();
        ImageIO.write(img, "png", out.toFile());
    }
}
