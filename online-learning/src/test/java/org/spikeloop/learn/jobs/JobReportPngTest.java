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
        LabelledSequence s = Tasks.sequence(300, 1);
        float[] pred = new float[600];
        HeldOutScore score = new HeldOutScore(0.1, 0.5, pred);
        JobOutcome o =
                new JobOutcome(
                        List.of(1.0, 0.5, 0.4),
                        List.of(1.1, 0.6, 0.7),
                        List.of(0.1, 0.4, 0.3),
                        2,
                        false,
                        score,
                        score,
                        1.0);
        byte[] png = JobReportPng.render("job", o, s);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(260 * 3 + 60);
        // something other than white was drawn in the bottom panel
        boolean drawn = false;
        for (int x = 100; x < 800 && !drawn; x++) {
            for (int y = 260 * 2 + 60; y < 260 * 3; y++) {
                if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    drawn = true;
                    break;
                }
            }
        }
        assertThat(drawn).isTrue();
    }
}
