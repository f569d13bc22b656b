package org.spikeloop.server.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.server.engine.EngineBusyException;
import org.spikeloop.server.engine.EngineRejectedException;
import org.spikeloop.server.session.LearningControl;
import org.spikeloop.server.session.ServerException;

/** Maps the server's exceptions to gRPC statuses with their messages (which name the field). */
public final class Statuses {
    private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);

    private Statuses() {}

    /** The gRPC status of a {@link ServerException} kind (the one mapping every service uses). */
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
        } else if (t instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else {
            LOG.error("unexpected failure", t);
            status = Status.INTERNAL;
        }
        return status.withDescription(t.getMessage()).asRuntimeException();
    }
}
