package org.spikeloop.server.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.engine.EngineBusyException;
import org.spikeloop.server.engine.EngineRejectedException;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.server.session.LearningControl;

/**
 * Maps the runtime's exceptions to gRPC statuses with their messages (which name the field or
 * case): the one mapping every service uses.
 */
public final class Statuses {
    private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);

    private Statuses() {}

    /** The gRPC status of a {@link ServerException} kind. */
    public static Status forKind(ServerException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case DATA_LOSS -> Status.DATA_LOSS;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    /**
     * The status of a failure (unwrapped from a {@code CompletionException}): a {@link
     * ServerException} by its kind; a command the engine refused FAILED_PRECONDITION, a full
     * command queue UNAVAILABLE, a full job queue RESOURCE_EXHAUSTED; a bad value
     * (IllegalArgumentException) INVALID_ARGUMENT; an action the state does not allow
     * (IllegalStateException) or a registry refusal FAILED_PRECONDITION; anything else INTERNAL,
     * logged.
     */
    static StatusRuntimeException toStatus(Throwable thrown) {
        Throwable t = LearningControl.cause(thrown);
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        Status status;
        if (t instanceof ServerException e) {
            status = forKind(e.kind());
        } else if (t instanceof EngineRejectedException) {
            status = Status.FAILED_PRECONDITION;
        } else if (t instanceof EngineBusyException) {
            status = Status.UNAVAILABLE;
        } else if (t instanceof RejectedExecutionException) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (t instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else if (t instanceof IllegalStateException || t instanceof RegistryException) {
            status = Status.FAILED_PRECONDITION;
        } else {
            LOG.error("unexpected failure", t);
            status = Status.INTERNAL;
        }
        return status.withDescription(t.getMessage()).asRuntimeException();
    }
}
