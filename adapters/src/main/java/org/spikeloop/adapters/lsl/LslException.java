package org.spikeloop.adapters.lsl;

/** An error code returned by liblsl ({@code lsl_error_code_t}), with what was being done. */
public final class LslException extends RuntimeException {
    /** liblsl's error kinds. */
    public enum Kind {
        TIMEOUT(-1),
        LOST(-2),
        ARGUMENT(-3),
        INTERNAL(-4);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return INTERNAL;
        }
    }

    private final Kind kind;

    LslException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Throws if {@code ec} holds an error. */
    static void check(int ec, String operation) {
        if (ec != 0) {
            Kind kind = Kind.of(ec);
            throw new LslException(
                    kind, operation + " failed: " + kind + " (liblsl code " + ec + ")");
        }
    }
}
