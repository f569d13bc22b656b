package org.spikeloop.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces one {@code ## heading} section of a markdown file (from its heading to the next {@code
 * ## } heading or the end), or appends it when absent, leaving the rest of the file byte for byte.
 * The file is replaced atomically.
 */
final class MarkdownSection {
    private MarkdownSection() {}

    static String replace(String document, String heading, String body) {
        String section = heading + "\n\n" + body.strip() + "\n";
        int start = findHeading(document, heading);
        if (start < 0) {
            String prefix =
                    document.isEmpty() || document.endsWith("\n\n")
                            ? document
                            : document.endsWith("\n") ? document + "\n" : document + "\n\n";
            return prefix + section;
        }
        int end = document.indexOf("\n## ", start + heading.length());
        String tail = end < 0 ? "" : "\n" + document.substring(end + 1);
        return document.substring(0, start) + section + tail;
    }

    private static int findHeading(String document, String heading) {
        int from = 0;
        while (true) {
            int i = document.indexOf(heading, from);
            if (i < 0) {
                return -1;
            }
            boolean lineStart = i == 0 || document.charAt(i - 1) == '\n';
            int after = i + heading.length();
            boolean lineEnd = after == document.length() || document.charAt(after) == '\n';
            if (lineStart && lineEnd) {
                return i;
            }
            from = after;
        }
    }

    static void replaceInFile(Path file, String heading, String body) throws IOException {
        String document =
                Files.exists(file)
                        ? Files.readString(file, StandardCharsets.UTF_8)
                        : "# Benchmarks\n";
        String updated = replace(document, heading, body);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".benchmarks", ".md");
        Files.writeString(tmp, updated, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
