package org.spikeloop.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.spikeloop.app.demo.ServerDemo;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop demo}: the main job on its embedded default — the server in-process on loopback,
 * a simulated rig over LSL, one learning session, a drift event, an XDF recording and a status line
 * per second (see {@link ServerDemo}). Exit 0 after {@code --duration} or Ctrl-C; 2 for bad options
 * or a busy port; 1 if the run fails.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the decoding server with a simulated 96-unit intracortical rig over LSL: a"
                        + " spiking decoder from a reference checkpoint adapts online with e-prop"
                        + " through a drift event; records to XDF. Runs until Ctrl-C or"
                        + " --duration.")
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--duration",
            description = "Seconds to stream (0 = until Ctrl-C). Default: ${DEFAULT-VALUE}.")
    double durationS = 0;

    @Option(
            names = "--drift-at",
            description =
                    "Seconds into the stream when tuning rotates (negative = no drift). Default:"
                            + " ${DEFAULT-VALUE}.")
    double driftAtS = 30;

    @Option(
            names = "--rotation",
            description = "Rotation of preferred directions, degrees. Default: ${DEFAULT-VALUE}.")
    double rotationDeg = 30;

    @Option(names = "--neurons", description = "Hidden LIF neurons. Default: ${DEFAULT-VALUE}.")
    int neurons = 256;

    @Option(
            names = "--calibration",
            description =
                    "Seconds of calibration data for the reference checkpoint. Default:"
                            + " ${DEFAULT-VALUE}.")
    double calibrationS = 20;

    @Option(
            names = "--no-eprop",
            negatable = true,
            description = "Adapt online with e-prop (default on).")
    boolean eprop = true;

    @Option(
            names = "--learning-rate",
            description = "e-prop learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate = 2e-4;

    @Option(
            names = "--update-interval",
            description = "Steps between e-prop weight updates. Default: ${DEFAULT-VALUE}.")
    int updateIntervalSteps = 100;

    @Option(
            names = "--r2-window",
            description = "Sliding window of the status R², seconds. Default: ${DEFAULT-VALUE}.")
    double r2WindowS = 5;

    @Option(
            names = "--chunk-ms",
            description = "Samples per LSL push of the rig, ms. Default: ${DEFAULT-VALUE}.")
    int chunkMs = 1;

    @Option(
            names = "--port",
            description = "gRPC port on 127.0.0.1 (0 = any free). Default: ${DEFAULT-VALUE}.")
    int grpcPort = 50051;

    @Option(
            names = "--metrics-port",
            description =
                    "Prometheus port on 127.0.0.1 (0 = any free, -1 = off). Default:"
                            + " ${DEFAULT-VALUE}.")
    int metricsPort = 9464;

    @Option(
            names = "--checkpoints-dir",
            description =
                    "Where the reference checkpoint is kept and reused. Default: ${DEFAULT-VALUE}.")
    Path checkpointsDir = Path.of("checkpoints");

    @Option(
            names = "--recordings-dir",
            description = "Where the XDF recording goes. Default: ${DEFAULT-VALUE}.")
    Path recordingsDir = Path.of("recordings");

    @Option(names = "--seed", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String invalid = invalidOption();
        if (invalid != null) {
            err.println("spikeloop demo: " + invalid);
            return 2;
        }
        ServerDemo demo =
                new ServerDemo(
                        new ServerDemo.Settings(
                                durationS,
                                driftAtS,
                                rotationDeg,
                                neurons,
                                calibrationS,
                                eprop,
                                learningRate,
                                updateIntervalSteps,
                                r2WindowS,
                                chunkMs,
                                grpcPort,
                                metricsPort,
                                checkpointsDir,
                                recordingsDir,
                                seed),
                        out);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(-1);
        // On Ctrl-C the JVM halts once hooks return: the hook waits for the run to close cleanly.
        // A clean stop is a success, so it then ends the process with 0 (not the JVM's 130).
        Thread hook =
                new Thread(
                        () -> {
                            demo.requestStop();
                            try {
                                if (finished.await(20, TimeUnit.SECONDS) && exitCode.get() == 0) {
                                    Runtime.getRuntime().halt(0);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ServerDemo.Summary s = demo.run();
            out.printf(
                    Locale.ROOT,
                    "done: %d frames, last R2 %.3f, %d deadline misses, %d learning updates;"
                            + " recording %s%n",
                    s.frames(),
                    s.lastR2(),
                    s.deadlineMisses(),
                    s.learningUpdates(),
                    s.recording());
            out.flush();
            exitCode.set(0);
            return 0;
        } catch (ServerDemo.DemoException | ConfigException | ServerException e) {
            err.println("spikeloop demo: " + e.getMessage());
            return 2;
        } catch (RuntimeException | IOException e) {
            err.println("spikeloop demo: failed: " + e);
            return 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and the JVM exits after it.
            }
        }
    }

    private String invalidOption() {
        if (!(durationS >= 0) || !Double.isFinite(durationS)) {
            return "--duration: must be >= 0 seconds, got " + durationS;
        }
        if (!(calibrationS > 0) || !Double.isFinite(calibrationS)) {
            return "--calibration: must be > 0 seconds, got " + calibrationS;
        }
        if (neurons < 1) {
            return "--neurons: must be >= 1, got " + neurons;
        }
        if (!(r2WindowS >= 0.002)) {
            return "--r2-window: must be >= 0.002 seconds (two frames), got " + r2WindowS;
        }
        if (chunkMs < 1) {
            return "--chunk-ms: must be >= 1, got " + chunkMs;
        }
        if (grpcPort < 0 || grpcPort > 65535) {
            return "--port: must be 0..65535, got " + grpcPort;
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            return "--metrics-port: must be -1..65535, got " + metricsPort;
        }
        return null;
    }
}
