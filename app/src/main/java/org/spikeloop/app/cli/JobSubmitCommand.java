package org.spikeloop.app.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.spikeloop.app.bench.JobRun;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.proto.v1.JobProgress;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.SubmitJobRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop job submit}: submits a training job to the server (JobService.SubmitJob) on
 * recordings in its recordings directory — file names, or a session id for all of that session's
 * recordings — follows it (a progress line per epoch on stderr) and prints its result on stdout:
 * {@code job ID: <the job's summary>; checkpoint <registry id>; report <file>}. The checkpoint is
 * in the server's registry, so {@code session create --registry-id} can start from it at once.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Train on recordings in the server's recordings directory and register the result in"
                    + " its checkpoint registry (JobService). Prints a line per epoch on stderr and"
                    + " the held-out scores and checkpoint id on stdout."
        })
final class JobSubmitCommand extends ServerClientCommand {
    @Option(
            names = "--recording",
            required = true,
            paramLabel = "NAME",
            description =
                    "A recording's file name in the server's recordings directory, or a session id"
                            + " (all of that session's recordings). Repeatable.")
    List<String> recordings;

    @Option(
            names = "--inputs-stream",
            required = true,
            paramLabel = "NAME",
            description = "Name of the inputs stream in the recordings.")
    String inputsStream;

    @Option(
            names = "--labels-stream",
            required = true,
            paramLabel = "NAME",
            description = "Name of the labels stream (or marker stream) in the recordings.")
    String labelsStream;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The job config (JSON, as for `spikeloop train`, e.g."
                            + " examples/jobs/motor-imagery.json). Default: the server's defaults"
                            + " around the start checkpoint's architecture.")
    Path config;

    @Option(
            names = "--session",
            paramLabel = "ID",
            defaultValue = "",
            description = "Session whose reference the result becomes. Default: none.")
    String session;

    @Option(
            names = "--start",
            paramLabel = "ID",
            defaultValue = "",
            description =
                    "Registry checkpoint to start from. Default: the config's init (or the"
                            + " session's active checkpoint).")
    String start;

    @Option(
            names = "--validation-fraction",
            description =
                    "Last fraction held out: of the time for a regression job, of the trials for a"
                            + " classification job. Default: 0.25 of the time, 0.5 of the trials.")
    Double validationFraction;

    @Override
    void call(ServerConnectionOptions.Connection c, PrintWriter out) throws IOException {
        String configJson = config == null ? "" : readConfig(config);
        SubmitJobRequest.Builder request =
                SubmitJobRequest.newBuilder()
                        .addAllRecordings(recordings)
                        .setInputsStream(inputsStream)
                        .setLabelsStream(labelsStream)
                        .setConfigJson(configJson)
                        .setSessionId(session)
                        .setStartCheckpoint(start);
        if (validationFraction != null) {
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException(
                        "--validation-fraction: must be in (0, 1), got " + validationFraction);
            }
            request.setValidationFraction(validationFraction);
        }
        boolean classification = isClassification(configJson);
        ToDoubleFunction<JobProgress> score =
                classification ? JobProgress::getValidationAccuracy : JobProgress::getValidationR2;
        PrintWriter err = spec.commandLine().getErr();
        JobInfo done;
        try {
            done =
                    JobRun.run(
                            JobServiceGrpc.newBlockingStub(c.channel()),
                            request.build(),
                            config == null ? "the server's defaults" : config.toString(),
                            "",
                            classification ? "accuracy" : "R²",
                            score,
                            err);
        } catch (JobRun.JobFailedException e) {
            // the job refused its data or config (unknown markers, a front-end that differs, ...):
            // the server's message is the user's to act on, one line and exit 2
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        out.println(
                "job "
                        + done.getId()
                        + ": "
                        + done.getSummary()
                        + "; checkpoint "
                        + done.getCheckpointId()
                        + "; report "
                        + done.getReport());
    }

    /** The file's text, checked to be a JSON object so a typo fails here, not on the server. */
    private static String readConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        }
        String text = Files.readString(file);
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("--config " + file + ": not a JSON object");
            }
        } catch (JsonSyntaxException e) {
            throw new IllegalArgumentException(
                    "--config " + file + ": not JSON (" + e.getMessage() + ")", e);
        }
        return text;
    }

    /** A classification job's progress carries accuracy; a regression job's R² ({@code task}). */
    private static boolean isClassification(String configJson) {
        if (configJson.isEmpty()) {
            return false;
        }
        JsonObject o = JsonParser.parseString(configJson).getAsJsonObject();
        return o.has("task")
                && o.get("task").isJsonObject()
                && o.getAsJsonObject("task").has("kind")
                && "classification".equals(o.getAsJsonObject("task").get("kind").getAsString());
    }
}
