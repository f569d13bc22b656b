package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownSectionTest {
    private static final String H = "## Decoding benchmark";

    @Test
    void shouldReplaceOnlyItsOwnSection() {
        String doc =
                "# Benchmarks\n\n## Step latency\n\nfast\n\n" + H + "\n\nold\n\n## Other\n\nkeep\n";

        String out = MarkdownSection.replace(doc, H, "new table");

        assertThat(out)
                .isEqualTo(
                        "# Benchmarks\n\n## Step latency\n\nfast\n\n"
                                + H
                                + "\n\nnew table\n\n## Other\n\nkeep\n");
    }

    @Test
    void shouldAppendTheSectionWhenAbsent() {
        assertThat(MarkdownSection.replace("# B\n", H, "x")).isEqualTo("# B\n\n" + H + "\n\nx\n");
    }

    @Test
    void shouldNotMistakeALongerHeadingForItsOwn() {
        String doc = H + " (old)\n\nkeep\n";

        assertThat(MarkdownSection.replace(doc, H, "x")).startsWith(doc).endsWith(H + "\n\nx\n");
    }

    @Test
    void shouldCreateTheFileWhenMissing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("docs/benchmarks.md");

        MarkdownSection.replaceInFile(file, H, "body");

        assertThat(Files.readString(file)).isEqualTo("# Benchmarks\n\n" + H + "\n\nbody\n");
    }
}
