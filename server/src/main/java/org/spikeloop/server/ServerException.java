package org.spikeloop.server;

/**
 * A refused request, with the kind the gRPC layer maps to a status code. The message names the
 * field or limit.
 */
public final class ServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The failure kinds, named after the gRPC codes they become. */
    public enum Kind {
        INVALID_ARGUMENT,
        NOT_FOUND,
        ALREADY_EXISTS,
        RESOURCE_EXHAUSTED,
        FAILED_PRECONDITION,
        UNAVAILABLE,
        /**
         * Stored data failed verification (e.g. a registry checkpoint whose checksum mismatches).
         */
        DATA_LOSS,
        INTERNAL
    }

    private final Kind kind;

    public ServerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ServerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ServerException invalid(String message) {
        return new ServerException(Kind.INVALID_ARGUMENT, message);
    }

    public static ServerException notFound(String message) {
        return new ServerException(Kind.NOT_FOUND, message);
    }
}
