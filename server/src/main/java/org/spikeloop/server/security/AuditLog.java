package org.spikeloop.server.security;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Append-only record of control actions: one JSON object per line with who, when, what, the
 * session, the previous and the new value. The file is opened in append mode and forced to disk
 * after every line, so a crash loses at most the line being written; nothing here rewrites or
 * truncates it. Tokens never reach this log (only the token's name).
 *
 * <p>The file is a {@link FileOutputStream}, not a {@code FileChannel}: a channel closes itself for
 * good when a thread blocked in it is interrupted (an executor's {@code shutdownNow} while that
 * thread appends a line), and every later line from any thread would then fail. A stream's write
 * and its descriptor's {@code sync} are not interruptible.
 *
 * <p>Threading: {@link #record} is synchronised (control plane only, never the engine).
 */
public final class AuditLog implements AutoCloseable {
    private final FileOutputStream out;
    private final Clock clock;

    public AuditLog(Path file, Clock clock) {
        this.clock = clock;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = new FileOutputStream(file.toFile(), true); // O_APPEND, created if absent
        } catch (IOException e) {
            throw new UncheckedIOException("audit log " + file + ": cannot open for append", e);
        }
    }

    /**
     * Appends one action.
     *
     * @param who principal name
     * @param action e.g. {@code "session.create"}, {@code "learning.mode"}
     * @param sessionId the session acted on, or ""
     * @param previous the value before ("" if none)
     * @param next the value after ("" if none)
     */
    public synchronized void record(
            String who, String action, String sessionId, String previous, String next) {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"time\":\"").append(Instant.now(clock)).append('"');
        field(b, "who", who);
        field(b, "action", action);
        field(b, "session", sessionId);
        field(b, "previous", previous);
        field(b, "next", next);
        b.append("}\n");
        try {
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("audit log: cannot append", e);
        }
    }

    private static void field(StringBuilder b, String key, String value) {
        b.append(",\"").append(key).append("\":");
        appendJsonString(b, value == null ? "" : value);
    }

    /**
     * Appends {@code s} as a JSON string (quotes, backslashes and control characters escaped): the
     * one escaper of the server's hand-written JSON (audit lines, the status page's encoders).
     */
    public static void appendJsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
