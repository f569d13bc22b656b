package org.spikeloop.app.bench;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.spikeloop.proto.v1.JobEvent;
import org.spikeloop.proto.v1.JobId;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.proto.v1.JobProgress;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.JobState;
import org.spikeloop.proto.v1.ListJobsRequest;
import org.spikeloop.proto.v1.SubmitJobRequest;

/**
 * A training job through the public JobService, the way a client runs one: submit, follow its
 * events (a progress line per epoch on the log), and return its listing once it succeeded. Both
 * halves of {@code bench decode} train this way, so their figures come from the path users take;
 * {@code spikeloop job submit} is this class on the command line.
 */
public final class JobRun {
    private JobRun() {}

    /** The job ended FAILED or CANCELLED; the message has its state and the server's reason. */
    public static final class JobFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JobFailedException(String message) {
            super(message);
        }
    }

    /**
     * @param what the log prefix, e.g. {@code "bench decode: "}
     * @param score the inner-validation score's name for the progress line ("R²", "accuracy")
     * @param validation reads that score from a progress event
     * @throws JobFailedException if the job ends in any state but SUCCEEDED
     */
    public static JobInfo run(
            JobServiceGrpc.JobServiceBlockingStub jobs,
            SubmitJobRequest request,
            String configName,
            String what,
            String score,
            ToDoubleFunction<JobProgress> validation,
            PrintWriter log) {
        JobInfo submitted = jobs.submitJob(request);
        log.printf(
                Locale.ROOT,
                "%sjob %s on %s with %s%n",
                what,
                submitted.getId(),
                String.join(", ", request.getRecordingsList()),
                configName);
        log.flush();
        JobEvent last = null;
        for (Iterator<JobEvent> it =
                        jobs.watchJob(JobId.newBuilder().setId(submitted.getId()).build());
                it.hasNext(); ) {
            last = it.next();
            if (last.hasProgress()) {
                JobProgress p = last.getProgress();
                log.printf(
                        Locale.ROOT,
                        "%sjob epoch %d/%d: inner-validation %s %.4f (kept epoch %d), %.0f s%n",
                        what,
                        p.getEpoch(),
                        p.getMaxEpochs(),
                        score,
                        validation.applyAsDouble(p),
                        p.getBestEpoch(),
                        p.getElapsedS());
                log.flush();
            }
        }
        if (last == null || last.getState() != JobState.JOB_STATE_SUCCEEDED) {
            throw new JobFailedException(
                    "job "
                            + submitted.getId()
                            + " ended "
                            + (last == null ? "without an event" : last.getState())
                            + ": "
                            + (last == null ? "" : last.getMessage()));
        }
        for (JobInfo info : jobs.listJobs(ListJobsRequest.getDefaultInstance()).getJobsList()) {
            if (info.getId().equals(submitted.getId())) {
                log.println(what + info.getSummary());
                log.flush();
                return info;
            }
        }
        throw new IllegalStateException("job " + submitted.getId() + " is not listed");
    }
}
