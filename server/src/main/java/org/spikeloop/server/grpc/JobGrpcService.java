package org.spikeloop.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.learn.jobs.JobProgress;
import org.spikeloop.proto.v1.JobEvent;
import org.spikeloop.proto.v1.JobId;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.ListJobsRequest;
import org.spikeloop.proto.v1.ListJobsResponse;
import org.spikeloop.proto.v1.SubmitJobRequest;
import org.spikeloop.server.jobs.JobHandle;
import org.spikeloop.server.jobs.JobManager;
import org.spikeloop.server.jobs.JobResult;
import org.spikeloop.server.jobs.JobState;
import org.spikeloop.server.jobs.JobSubmission;
import org.spikeloop.server.jobs.RecordingsDirectory;
import org.spikeloop.server.security.AuthInterceptor;

/**
 * spikeloop.v1.JobService: translates to {@link JobManager}. Submitting maps the request to a
 * {@link JobSubmission}, which the jobs domain checks and resolves, and queues it (the job runs on
 * the job executor, never a gRPC thread). Watching streams the job's events through a {@link
 * JobEventStream}; they come once per epoch, so the stream needs no flow control beyond gRPC's
 * buffering, and a cancelled call unsubscribes.
 */
public final class JobGrpcService extends JobServiceGrpc.JobServiceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(JobGrpcService.class);
    private final JobManager jobs;
    private final RecordingsDirectory recordings;

    public JobGrpcService(JobManager jobs, RecordingsDirectory recordings) {
        this.jobs = jobs;
        this.recordings = recordings;
    }

    @Override
    public void submitJob(SubmitJobRequest r, StreamObserver<JobInfo> response) {
        try {
            JobSubmission submission =
                    new JobSubmission(
                            r.getSessionId(),
                            r.getRecordingsList(),
                            r.getInputsStream(),
                            r.getLabelsStream(),
                            r.hasFromS() ? r.getFromS() : Double.NaN,
                            r.hasToS() ? r.getToS() : Double.NaN,
                            r.getConfigJson().isEmpty() ? null : r.getConfigJson(),
                            r.getStartCheckpoint().isEmpty() ? null : r.getStartCheckpoint(),
                            r.getValidationFraction(),
                            r.getWindowFrames(),
                            r.getPatience(),
                            AuthInterceptor.caller().name());
            response.onNext(info(jobs.submit(submission.resolve(recordings, jobs.registry()))));
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void watchJob(JobId r, StreamObserver<JobEvent> response) {
        JobHandle h = find(r.getId(), response);
        if (h == null) {
            return;
        }
        ServerCallStreamObserver<JobEvent> call = (ServerCallStreamObserver<JobEvent>) response;
        JobEventStream stream = new JobEventStream(call);
        AtomicReference<Runnable> unsubscribe = new AtomicReference<>();
        call.setOnCancelHandler(
                () -> {
                    stream.cancelled();
                    Runnable u = unsubscribe.get();
                    if (u != null) {
                        u.run();
                    }
                });
        try {
            unsubscribe.set(h.watch(stream));
        } catch (RuntimeException | Error e) {
            // A past event could not be sent: the stream has ended the call with INTERNAL, and the
            // job never added it as a watcher.
            LOG.warn("job {}: WatchJob failed while replaying its events: {}", h.id(), e, e);
            return;
        }
        if (stream.ended()) {
            unsubscribe.get().run();
        }
    }

    @Override
    public void listJobs(ListJobsRequest r, StreamObserver<ListJobsResponse> response) {
        ListJobsResponse.Builder b = ListJobsResponse.newBuilder();
        for (JobHandle h : jobs.list(r.getSessionId())) {
            b.addJobs(info(h));
        }
        response.onNext(b.build());
        response.onCompleted();
    }

    @Override
    public void cancelJob(JobId r, StreamObserver<JobInfo> response) {
        JobHandle h = find(r.getId(), response);
        if (h == null) {
            return;
        }
        jobs.cancel(h.id());
        response.onNext(info(h));
        response.onCompleted();
    }

    /** The job, or null after answering NOT_FOUND. */
    private <T> JobHandle find(String id, StreamObserver<T> response) {
        try {
            return jobs.require(id);
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
            return null;
        }
    }

    static JobInfo info(JobHandle h) {
        JobInfo.Builder b =
                JobInfo.newBuilder()
                        .setId(h.id())
                        .setSessionId(h.request().sessionId())
                        .setState(toProto(h.state()))
                        .setCreator(h.request().creator())
                        .setError(h.error())
                        .setSubmittedUnixMs(h.submittedAt().toEpochMilli());
        List<String> names = new ArrayList<>();
        for (Path p : h.request().recordings()) {
            names.add(p.getFileName().toString());
        }
        b.addAllRecordings(names);
        JobResult result = h.result();
        if (result != null) {
            b.setCheckpointId(result.checkpoint().id())
                    .setReport(result.report().getFileName().toString())
                    .setSummary(result.summary());
            if (result.classification() != null) {
                b.setClassification(toProto(result.classification()));
            }
            for (int k = 0; result.outcome() != null && k < result.outputNames().size(); k++) {
                org.spikeloop.proto.v1.OutputScore.Builder s =
                        org.spikeloop.proto.v1.OutputScore.newBuilder()
                                .setOutput(result.outputNames().get(k))
                                .setR2(result.outcome().heldOut().r2()[k]);
                for (org.spikeloop.learn.jobs.RegressionBaselines.Result r :
                        result.outcome().baselines()) {
                    if (r.name().equals("kalman")) {
                        s.setKalmanR2(r.heldOut().r2()[k]);
                    } else if (r.name().equals("wiener")) {
                        s.setWienerR2(r.heldOut().r2()[k]);
                    }
                }
                b.addScores(s);
            }
        }
        JobProgress p = h.lastProgress();
        if (p != null) {
            b.setLastProgress(toProto(p));
        }
        return b.build();
    }

    static org.spikeloop.proto.v1.ClassificationScore toProto(
            org.spikeloop.learn.jobs.ClassificationOutcome o) {
        org.spikeloop.learn.jobs.ClassificationScore h = o.heldOut();
        org.spikeloop.proto.v1.ClassificationScore.Builder b =
                org.spikeloop.proto.v1.ClassificationScore.newBuilder()
                        .addAllClasses(h.classNames())
                        .setTrials(h.count())
                        .setCorrect(h.correct())
                        .setAccuracy(h.accuracy())
                        .setMaxClassShare(h.maxClassShare());
        addConfusion(h.confusion(), b::addConfusion);
        for (org.spikeloop.learn.jobs.ClassificationBaselines.Result r : o.baselines()) {
            org.spikeloop.proto.v1.BaselineScore.Builder bs =
                    org.spikeloop.proto.v1.BaselineScore.newBuilder()
                            .setName(r.name())
                            .setSkipped(r.skipped())
                            .setSettings(r.settings());
            if (!r.skipped()) {
                bs.setAccuracy(r.heldOut().accuracy());
                addConfusion(r.heldOut().confusion(), bs::addConfusion);
            }
            b.addBaselines(bs);
        }
        return b.build();
    }

    private static void addConfusion(int[][] m, java.util.function.IntConsumer add) {
        for (int[] row : m) {
            for (int v : row) {
                add.accept(v);
            }
        }
    }

    static JobEvent toProto(org.spikeloop.server.jobs.JobEvent e) {
        JobEvent.Builder b =
                JobEvent.newBuilder()
                        .setJobId(e.jobId())
                        .setState(toProto(e.state()))
                        .setMessage(e.message());
        if (e.progress() != null) {
            b.setProgress(toProto(e.progress()));
        }
        return b.build();
    }

    static org.spikeloop.proto.v1.JobProgress toProto(JobProgress p) {
        return org.spikeloop.proto.v1.JobProgress.newBuilder()
                .setEpoch(p.epoch())
                .setMaxEpochs(p.maxEpochs())
                .setTrainLoss(p.trainLoss())
                .setValidationLoss(p.validationLoss())
                .setValidationR2(Double.isNaN(p.validationR2()) ? 0.0 : p.validationR2())
                .setBestEpoch(p.bestEpoch())
                .setElapsedS(p.elapsedS())
                .setEtaS(p.etaS())
                .setValidationAccuracy(
                        Double.isNaN(p.validationAccuracy()) ? 0.0 : p.validationAccuracy())
                .build();
    }

    static org.spikeloop.proto.v1.JobState toProto(JobState s) {
        return switch (s) {
            case QUEUED -> org.spikeloop.proto.v1.JobState.JOB_STATE_QUEUED;
            case RUNNING -> org.spikeloop.proto.v1.JobState.JOB_STATE_RUNNING;
            case SUCCEEDED -> org.spikeloop.proto.v1.JobState.JOB_STATE_SUCCEEDED;
            case FAILED -> org.spikeloop.proto.v1.JobState.JOB_STATE_FAILED;
            case CANCELLED -> org.spikeloop.proto.v1.JobState.JOB_STATE_CANCELLED;
        };
    }
}
