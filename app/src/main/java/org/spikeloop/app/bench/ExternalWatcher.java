package org.spikeloop.app.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's watcher in a process of its own ({@code spikeloop bench e2e-watch}, a JVM like a
 * clinician's client on another machine), driven through its stdin and read from its stdout: so the
 * watcher's allocations and threads are not the server's. Niceness as asked.
 *
 * <p>Threading: the benchmark's control thread.
 */
final class ExternalWatcher implements AutoCloseable {
    private final Process process;
    private final Writer commands;
    private final BufferedReader replies;

    ExternalWatcher(
            int port,
            List<String> sessionIds,
            int seconds,
            WatchOptions watch,
            int outputs,
            int nice,
            Path dir)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (nice != 0) {
            cmd.addAll(List.of("nice", "-n", Integer.toString(nice)));
        }
        cmd.addAll(ChildJvm.command("-Xmx256m"));
        cmd.addAll(
                List.of(
                        "bench",
                        "e2e-watch",
                        "--port",
                        Integer.toString(port),
                        "--sessions",
                        String.join(",", sessionIds),
                        "--duration",
                        Integer.toString(seconds),
                        "--outputs",
                        Integer.toString(outputs)));
        cmd.addAll(watch.args());
        process =
                new ProcessBuilder(cmd).redirectError(dir.resolve("watcher.err").toFile()).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        replies =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = replies.readLine();
        if (!"ready".equals(line)) {
            close();
            throw new IOException(
                    "the external watcher did not start (see " + dir.resolve("watcher.err") + ")");
        }
    }

    /** The watcher's process, whose CPU the report gives apart. */
    ProcessHandle process() {
        return process.toHandle();
    }

    void window(double fromS, double toS, long dtNs) throws IOException {
        commands.write(String.format(Locale.ROOT, "window %.9f %.9f %d%n", fromS, toS, dtNs));
        commands.flush();
    }

    /** Each session's statistics; the process then exits. */
    List<FrameStats> report() throws IOException, InterruptedException {
        commands.write("report\n");
        commands.flush();
        String line = replies.readLine();
        if (line == null) {
            throw new IOException("the external watcher ended without a report");
        }
        JsonObject report = JsonParser.parseString(line).getAsJsonObject();
        List<FrameStats> lanes = new ArrayList<>();
        for (JsonElement e : report.getAsJsonArray("lanes")) {
            lanes.add(FrameStats.fromJson(e.getAsJsonObject()));
        }
        process.waitFor(10, TimeUnit.SECONDS);
        return lanes;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
