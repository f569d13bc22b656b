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
 * progress bar (step, loss, ETA) goes to stderr. Exit 0 on success, 2 with one line {@code "train:
 * <message>"} on stderr on failure.
 *
 * <p>With {@code --xdf} it runs the server's training job instead ({@link StandaloneTraining}): XDF
 * recordings, time split, early stopping, and the result registered in {@code --registry}.
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
                    "Job JSON (required with --data; with --xdf optional if --start is given).")
    Path config;

    @Option(
            names = "--data",
            paramLabel = "FILE.npz",
            description = "x [B,T,C] or [T,C] and the loss's targets.")
    Path data;

    @Option(
            names = "--out",
            paramLabel = "CHECKPOINT",
            description = "Output (required with --data; with --xdf an optional copy).")
    Path out;

    @Option(
            names = "--xdf",
            paramLabel = "FILE.xdf",
            arity = "1..*",
            description = "Train on XDF recordings (inputs + labels streams) instead of --data.")
    List<Path> xdf;

    @Option(
            names = "--recordings",
            paramLabel = "DIR",
            description = "Train on the .xdf files of DIR (directory form of --xdf).")
    Path recordingsDir;

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            description = "With --recordings: only files modified within e.g. 24h, 90m, 2d.")
    String since;

    @Option(names = "--inputs", paramLabel = "NAME", description = "Inputs stream (with --xdf).")
    String inputsStream;

    @Option(names = "--labels", paramLabel = "NAME", description = "Labels stream (with --xdf).")
    String labelsStream;

    @Option(names = "--from-s", paramLabel = "S", description = "First time stamp used (--xdf).")
    Double fromS;

    @Option(names = "--to-s", paramLabel = "S", description = "Last time stamp used (--xdf).")
    Double toS;

    @Option(
            names = "--registry",
            paramLabel = "DIR",
            description =
                    "Checkpoint registry the --xdf result is registered in (shared with a server).")
    Path registry;

    @Option(
            names = "--start",
            paramLabel = "ID",
            description = "Registry checkpoint to start from (--xdf); its architecture is used.")
    String start;

    @Option(
            names = "--session",
            paramLabel = "ID",
            defaultValue = "",
            description = "Session whose reference the --xdf result becomes (default: none).")
    String session;

    @Option(
            names = "--validation-fraction",
            description =
                    "Last fraction held out (--xdf): of the time for regression (default 0.25),"
                            + " of the trials for classification (default 0.5).")
    Double validationFraction;

    @Option(
            names = "--window-frames",
            defaultValue = "0",
            description =
                    "Frames per training window (--xdf; default ${DEFAULT-VALUE}: 1 s of the"
                            + " network's dt).")
    int windowFrames;

    @Option(
            names = "--patience",
            defaultValue = "3",
            description = "Early-stopping patience in epochs (--xdf; default ${DEFAULT-VALUE}).")
    int patience;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "BPTT worker threads (--xdf; default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--params",
            paramLabel = "PARAMS.npz",
            description = "Start from these parameters instead of the config's init.")
    Path params;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--verbose", description = "Print the stack trace of a failure.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
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
            }
            bar.finish();
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
        } catch (Exception e) {
            err.println();
            err.println("train: " + String.valueOf(e.getMessage()).replace('\n', ' '));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return 2;
        }
    }

    private int trainOnXdf(PrintWriter o, PrintWriter err) throws Exception {
        if (data != null) {
            throw new IllegalArgumentException("--data and --xdf/--recordings exclude each other");
        }
        if (xdf != null && recordingsDir != null) {
            throw new IllegalArgumentException("--xdf and --recordings exclude each other");
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
