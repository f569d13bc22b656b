package org.spikeloop.app.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench e2e-watch}: the watcher of {@code bench e2e --watcher external}, in a
 * process of its own. It watches the given sessions (over gRPC, or with {@code --watch-over lsl}
 * their LSL outlets of decoded outputs), prints {@code ready}, then follows commands on stdin, one
 * per line: {@code window FROM_S TO_S DT_NS} (measure the frames stamped in that window of the LSL
 * clock) and {@code report} (print one JSON line, {"lanes": [...]}, each a {@link FrameStats}, and
 * exit). Started by the benchmark, not meant to be run by hand.
 */
@Command(
        name = "e2e-watch",
        hidden = true,
        description = "The external watcher of bench e2e (driven through stdin).")
public final class E2eWatchCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "The benchmark server's gRPC port on 127.0.0.1 (with --watch-over grpc).")
    int port;

    @Option(
            names = "--sessions",
            paramLabel = "ID[,ID...]",
            required = true,
            split = ",",
            description =
                    "The session ids to watch; with --watch-over lsl, the names of their LSL"
                            + " outlets.")
    List<String> sessions;

    @Option(
            names = "--outputs",
            paramLabel = "N",
            defaultValue = "2",
            description = "Channels of an LSL outlet's samples. Default: ${DEFAULT-VALUE}.")
    int outputs;

    @Option(
            names = "--duration",
            paramLabel = "S",
            required = true,
            description = "Seconds of the measured window (sizes the misses-by-second counts).")
    int seconds;

    @Mixin WatchOptions watch;

    @Override
    public Integer call() throws Exception {
        List<String> ids = sessions;
        watch.validate();
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (FrameWatch watcher = watch.open(port, ids, outputs, seconds)) {
            System.out.println("ready");
            System.out.flush();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] w = line.trim().split("\\s+");
                if (w[0].equals("window") && w.length == 4) {
                    watcher.window(
                            Double.parseDouble(w[1]),
                            Double.parseDouble(w[2]),
                            Long.parseLong(w[3]));
                } else if (w[0].equals("report")) {
                    JsonArray lanes = new JsonArray();
                    for (FrameStats s : watcher.lanes()) {
                        lanes.add(s.toJson());
                    }
                    JsonObject report = new JsonObject();
                    report.add("lanes", lanes);
                    System.out.println(report);
                    System.out.flush();
                    return 0;
                } else {
                    throw new IllegalArgumentException(
                            "unknown command on stdin '"
                                    + line
                                    + "' (window FROM_S TO_S DT_NS, or report)");
                }
            }
            throw new java.io.EOFException("stdin closed before a report was asked for");
        }
    }
}
