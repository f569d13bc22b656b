package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ClassificationReportPngTest {
    @Test
    void shouldDrawTheLossesAndOneBarPerHeldOutTrial() throws Exception {
        TrialSequence data = ClassTasks.features(ClassTasks.classes(40, 1), 1.0, 2);
        ClassificationOutcome o =
                ClassificationRecipe.run(
                        ClassTasks.config(2),
                        null,
                        data,
                        new ClassificationRecipe.Settings(0.5, 0.25, 3, 20),
                        p -> {},
                        () -> false);
        BufferedImage img =
                ImageIO.read(new ByteArrayInputStream(ClassificationReportPng.render("job t", o)));
        assertThat(img.getWidth()).isEqualTo(JobReportPng.W);
        assertThat(img.getHeight()).isEqualTo(JobReportPng.GAP * 3 / 2 + 2 * JobReportPng.PANEL_H);
        int green = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = img.getHeight() / 2; y < img.getHeight(); y++) {
                green += img.getRGB(x, y) == 0xff2ca02c ? 1 : 0;
            }
        }
        assertThat(green).isGreaterThan(1000); // the bars of the trials decided right
    }
}
