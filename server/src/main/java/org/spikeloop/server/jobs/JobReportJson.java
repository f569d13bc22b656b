package org.spikeloop.server.jobs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.RegistryEntry;

/**
 * What every training job's report JSON holds whatever its task ({@link JobScores} for regression,
 * {@link ClassificationScores} for classification): the heading that names the job, its checkpoint
 * and config; the data range it read; its durations; and strict numbers (a NaN or infinity is
 * written as null, so any JSON reader takes the report). One place, so the two reports keep the
 * same fields in the same order.
 */
final class JobReportJson {
    private JobReportJson() {}

    /** {@code job, session, creator, checkpoint, parent, summary, config}, in this order. */
    static JsonObject heading(
            String jobId,
            TrainingJobRequest request,
            JobConfig config,
            RegistryEntry entry,
            String summary) {
        JsonObject j = new JsonObject();
        j.addProperty("job", jobId);
        j.addProperty("session", request.sessionId());
        j.addProperty("creator", request.creator());
        j.addProperty("checkpoint", entry.id());
        j.addProperty("parent", entry.lineage().parentId());
        j.addProperty("summary", summary);
        j.add("config", config.json());
        return j;
    }

    /**
     * The {@code data} object's first fields: {@code files, inputsStream, labelsStream, fromS,
     * toS}; the caller adds what its task read from them.
     */
    static JsonObject data(TrainingJobRequest request, DataRange range) {
        JsonObject d = new JsonObject();
        JsonArray files = new JsonArray();
        range.files().forEach(files::add);
        d.add("files", files);
        d.addProperty("inputsStream", request.inputsStream());
        d.addProperty("labelsStream", request.labelsStream());
        d.add("fromS", number(range.fromS()));
        d.add("toS", number(range.toS()));
        return d;
    }

    /** The report's last fields: the recipe's training time and the whole job's. */
    static void durations(JsonObject report, double trainingSeconds, double durationSeconds) {
        report.addProperty("trainingSeconds", trainingSeconds);
        report.addProperty("durationSeconds", durationSeconds);
    }

    /** {@code v}, or null when it is not finite (JSON has no NaN or infinity). */
    static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    /** Each value as {@link #number}. */
    static JsonArray numbers(List<Double> values) {
        JsonArray a = new JsonArray();
        values.forEach(v -> a.add(number(v)));
        return a;
    }

    /** Each value as {@link #number}. */
    static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(number(v));
        }
        return a;
    }
}
