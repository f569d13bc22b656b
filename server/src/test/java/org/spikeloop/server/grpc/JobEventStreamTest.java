package org.spikeloop.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.jobs.JobProgress;
import org.spikeloop.server.jobs.JobEvent;
import org.spikeloop.server.jobs.JobState;

class JobEventStreamTest {
    private static final JobProgress EPOCH = new JobProgress(1, 3, 1.0, 2.0, 0.1, 1, 1.0, 2.0);

    @Test
    void shouldSendEveryEventAndCompleteAfterTheTerminalOne() {
        RecordingCall call = new RecordingCall(Integer.MAX_VALUE);
        JobEventStream stream = new JobEventStream(call);
        stream.accept(new JobEvent("job-1", JobState.RUNNING, null, ""));
        stream.accept(new JobEvent("job-1", JobState.RUNNING, EPOCH, ""));
        stream.accept(new JobEvent("job-1", JobState.SUCCEEDED, null, "ckpt-1"));
        stream.accept(new JobEvent("job-1", JobState.SUCCEEDED, null, "ckpt-1"));
        assertThat(call.sent)
                .extracting(org.spikeloop.proto.v1.JobEvent::getState)
                .containsExactly(
                        org.spikeloop.proto.v1.JobState.JOB_STATE_RUNNING,
                        org.spikeloop.proto.v1.JobState.JOB_STATE_RUNNING,
                        org.spikeloop.proto.v1.JobState.JOB_STATE_SUCCEEDED);
        assertThat(call.completed).isEqualTo(1);
        assertThat(call.errors).isEmpty();
        assertThat(stream.ended()).isTrue();
    }

    @Test
    void shouldEndTheCallWithInternalAndRethrowWhenAnEventCannotBeSent() {
        RecordingCall call = new RecordingCall(1);
        JobEventStream stream = new JobEventStream(call);
        stream.accept(new JobEvent("job-1", JobState.RUNNING, null, ""));
        assertThatThrownBy(() -> stream.accept(new JobEvent("job-1", JobState.RUNNING, EPOCH, "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("serialisation failed");
        assertThat(call.errors).hasSize(1);
        Status status = Status.fromThrowable(call.errors.get(0));
        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription())
                .isEqualTo(
                        "job job-1: could not send its RUNNING event:"
                                + " java.lang.IllegalStateException: serialisation failed");
        stream.accept(new JobEvent("job-1", JobState.FAILED, null, "boom"));
        assertThat(call.sent).hasSize(1);
        assertThat(call.completed).isZero();
        assertThat(call.errors).hasSize(1);
    }

    @Test
    void shouldSendNothingOnceTheClientCancelled() {
        RecordingCall call = new RecordingCall(Integer.MAX_VALUE);
        JobEventStream stream = new JobEventStream(call);
        stream.accept(new JobEvent("job-1", JobState.RUNNING, null, ""));
        stream.cancelled();
        stream.accept(new JobEvent("job-1", JobState.CANCELLED, null, "by alice"));
        assertThat(call.sent).hasSize(1);
        assertThat(call.completed).isZero();
        assertThat(call.errors).isEmpty();
    }

    /** A call that records what it is given and fails every onNext after the first {@code ok}. */
    private static final class RecordingCall
            extends ServerCallStreamObserver<org.spikeloop.proto.v1.JobEvent> {
        final List<org.spikeloop.proto.v1.JobEvent> sent = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final int ok;
        int completed;

        RecordingCall(int ok) {
            this.ok = ok;
        }

        @Override
        public void onNext(org.spikeloop.proto.v1.JobEvent value) {
            if (sent.size() == ok) {
                throw new IllegalStateException("serialisation failed");
            }
            sent.add(value);
        }

        @Override
        public void onError(Throwable t) {
            errors.add(t);
        }

        @Override
        public void onCompleted() {
            completed++;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnCancelHandler(Runnable onCancelHandler) {}

        @Override
        public void setCompression(String compression) {}

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {}

        @Override
        public void request(int count) {}

        @Override
        public void setMessageCompression(boolean enable) {}

        @Override
        public void disableAutoInboundFlowControl() {}
    }
}
