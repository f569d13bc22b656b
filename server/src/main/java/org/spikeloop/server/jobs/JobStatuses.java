package org.spikeloop.server.jobs;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.spikeloop.server.grpc.Statuses;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.server.session.ServerException;

/**
 * Maps job, registry and governance failures to gRPC statuses with their messages (which name the
 * field or case).
 */
public final class JobStatuses {
    private JobStatuses() {}

    public static StatusRuntimeException toStatus(Throwable thrown) {
        Throwable t = thrown;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        Status status;
        if (t instanceof ServerException e) {
            status = Statuses.forKind(e.kind());
        } else if (t instanceof RejectedExecutionException) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (t instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else if (t instanceof IllegalStateException || t instanceof RegistryException) {
            status = Status.FAILED_PRECONDITION;
        } else {
            status = Status.INTERNAL;
        }
        return status.withDescription(t.getMessage()).asRuntimeException();
    }
}
