package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JobReportPngTest {
    @Test
    void shouldDrawALossPanelAndOnePanelPerOutput() throws Exception {
        RegressionOutcome o =
                RegressionRecipe.run(
                        Tasks.config(2, 3e-3),
                        null,
                        Tasks.sequence(8_000, 1),
                        new RegressionRecipe.Settings(0.25, 0.2, 500, 2),
                        p -> {},
                        () -> false);
        byte[] png = JobReportPng.render("job", o, List.of("vx", "vy"));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(1000);
        assertThat(img.getHeight()).isEqualTo(60 + 240 * 3 + 30);
        // the last output's panel has its trace drawn
        boolean drawn = false;
        for (int x = 100; x < 900 && !drawn; x++) {
            for (int y = 60 + 240 * 2 + 10; y < 60 + 240 * 3 - 60; y++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0x1f77b4) {
                    drawn = true;
                    break;
                }
            }
        }
        assertThat(drawn).isTrue();
    }
}
