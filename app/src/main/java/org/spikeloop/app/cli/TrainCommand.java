package org.spikeloop.app.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.data.NpzData;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.LossCurvePng;
import org.spikeloop.learn.train.ParamsNpz;
import org.spikeloop.learn.train.Trainer;
import org.spikeloop.learn.train.TrainingReport;
import org.spikeloop.server.jobs.StandaloneTraining;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop train}: SG-BPTT training from a job JSON and an {@code .npz} data file; writes
 * the checkpoint, a report ({@code <out>.report.json}) and a loss curve ({@code <out>.loss.png}). A
 * progress bar (step, loss, ETA) goes to stderr.
 *
 * <p>With {@code --xdf} (or {@code --recordings-dir}) it runs the server's training job instead
 * ({@link StandaloneTraining}): XDF recordings, time split, early stopping, and the result
 * registered in {@code --registry}.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a spiking network with surrogate-gradient BPTT.")
public final class TrainCommand implements Callable<Integer> {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Job JSON (required with --data; with --xdf optional if --start is given)."
                            + " Default: none.")
    Path config;

    @Option(
            names = "--data",
            paramLabel = "FILE.npz",
            description = "x [B,T,C] or [T,C] and the loss's targets. Default: none.")
    Path data;

    @Option(
            names = "--out",
            paramLabel = "CHECKPOINT",
            description =
                    "Checkpoint to write (required with --data; with --xdf an optional copy)."
                            + " Default: none.")
    Path out;

    @Option(
            names = "--xdf",
            paramLabel = "FILE.xdf",
            arity = "1..*",
            description =
                    "Train on XDF recordings (inputs + labels streams) instead of --data."
                            + " Default: none.")
    List<Path> xdf;

    @Option(
            names = "--recordings-dir",
            paramLabel = "DIR",
            description =
                    "Train on the .xdf files of DIR (directory form of --xdf). Default: none.")
    Path recordingsDir;

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            description =
                    "With --recordings-dir: only files modified within e.g. 24h, 90m, 2d."
                            + " Default: all.")
    String since;

    @Option(
            names = "--inputs-stream",
            paramLabel = "NAME",
            description = "Name of the inputs stream in the recordings (--xdf). Default: none.")
    String inputsStream;

    @Option(
            names = "--labels-stream",
            paramLabel = "NAME",
            description = "Name of the labels stream in the recordings (--xdf). Default: none.")
    String labelsStream;

    @Option(
            names = "--from-s",
            paramLabel = "S",
            description = "First time stamp used (--xdf). Default: the first recorded.")
    Double fromS;

    @Option(
            names = "--to-s",
            paramLabel = "S",
            description = "Last time stamp used (--xdf). Default: the last recorded.")
    Double toS;

    @Option(
            names = "--registry",
            paramLabel = "DIR",
            description =
                    "Checkpoint registry the --xdf result is registered in (shared with a"
                            + " server). Default: none.")
    Path registry;

    @Option(
            names = "--start",
            paramLabel = "ID",
            description =
                    "Registry checkpoint to start from (--xdf); its architecture is used."
                            + " Default: the config's init.")
    String start;

    @Option(
            names = "--session",
            paramLabel = "ID",
            defaultValue = "",
            description = "Session whose reference the --xdf result becomes. Default: none.")
    String session;

    @Option(
            names = "--validation-fraction",
            description =
                    "Last fraction held out (--xdf): of the time for a regression job, of the"
                            + " trials for a classification job. Default: 0.25 of the time,"
                            + " 0.5 of the trials.")
    Double validationFraction;

    @Option(
            names = "--window-frames",
            defaultValue = "0",
            description =
                    "Frames per training window (--xdf). Default: ${DEFAULT-VALUE} (1 s of the"
                            + " network's dt).")
    int windowFrames;

    @Option(
            names = "--patience",
            defaultValue = "3",
            description = "Early-stopping patience in epochs (--xdf). Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "BPTT worker threads (--xdf). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--params",
            paramLabel = "PARAMS.npz",
            description =
                    "Start from these parameters instead of the config's init. Default: none.")
    Path params;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (xdf != null || recordingsDir != null) {
            return trainOnXdf(o, err);
        }
        if (config == null || data == null || out == null) {
            throw new IllegalArgumentException(
                    "--config, --data and --out are required (or train on recordings with --xdf)");
        }
        JobConfig job = JobConfig.parse(Files.readString(config));
        Batch batch = NpzData.read(data);
        NetworkParams p =
                params != null
                        ? ParamsNpz.read(params, job.spec())
                        : Initializer.initialise(job.spec(), job.init());
        TrainingReport report;
        ProgressBar bar = new ProgressBar(err, !noProgress);
        try (Trainer trainer = new Trainer(job)) {
            report = trainer.train(p, batch, bar);
        } finally {
            bar.finish(); // ends the bar's line, so that a failure's line starts a line of its own
        }
        Provenance prov =
                Provenance.now(
                        user(),
                        "train config=" + config.getFileName() + " data=" + data.getFileName());
        Checkpoint.create(job.spec(), p, prov).write(out);
        Path reportPath = sibling(out, ".report.json");
        Path plotPath = sibling(out, ".loss.png");
        Files.writeString(reportPath, GSON.toJson(reportJson(job, report)));
        LossCurvePng.write(report.stepLoss(), "SG-BPTT loss per step", plotPath);
        o.printf(
                Locale.ROOT,
                "trained %d steps in %.1f s, loss %.6g -> %.6g; wrote %s, %s, %s%n",
                report.stepLoss().size(),
                report.seconds(),
                report.stepLoss().get(0),
                report.stepLoss().get(report.stepLoss().size() - 1),
                out,
                reportPath,
                plotPath);
        o.flush();
        return 0;
    }

    private int trainOnXdf(PrintWriter o, PrintWriter err) throws Exception {
        if (data != null) {
            throw new IllegalArgumentException(
                    "--data and --xdf/--recordings-dir exclude each other");
        }
        if (xdf != null && recordingsDir != null) {
            throw new IllegalArgumentException("--xdf and --recordings-dir exclude each other");
        }
        List<Path> files =
                xdf != null
                        ? xdf
                        : StandaloneTraining.recordingsIn(
                                recordingsDir, StandaloneTraining.parseSince(since));
        if (registry == null) {
            throw new IllegalArgumentException("--registry is required with --xdf");
        }
        new StandaloneTraining(
                        files,
                        inputsStream,
                        labelsStream,
                        fromS == null ? Double.NaN : fromS,
                        toS == null ? Double.NaN : toS,
                        StandaloneTraining.readConfig(config),
                        start,
                        session,
                        validationFraction == null ? Double.NaN : validationFraction,
                        windowFrames,
                        patience,
                        threads,
                        registry,
                        out,
                        user())
                .run(o, noProgress ? null : err);
        return 0;
    }

    private JsonObject reportJson(JobConfig job, TrainingReport r) {
        JsonObject j = new JsonObject();
        j.addProperty("steps", r.stepLoss().size());
        j.addProperty("epochs", r.epochLoss().size());
        j.addProperty("seconds", r.seconds());
        j.addProperty("threads", r.threads());
        j.addProperty("trajectory_bytes", r.trajectoryBytes());
        j.addProperty("final_loss", r.stepLoss().get(r.stepLoss().size() - 1));
        j.add("step_loss", GSON.toJsonTree(r.stepLoss()));
        j.add("epoch_loss", GSON.toJsonTree(r.epochLoss()));
        j.add("gradient_norm", GSON.toJsonTree(r.gradientNorm()));
        j.add("mean_rate_hz", GSON.toJsonTree(r.meanRateHz()));
        j.addProperty("checkpoint", out.toString());
        j.addProperty("data", data.toString());
        j.add("config", job.json());
        return j;
    }

    private static Path sibling(Path p, String suffix) {
        return p.resolveSibling(p.getFileName().toString() + suffix);
    }

    private static String user() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "unknown" : u;
    }
}
