package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.List;

/**
 * One-shot stream discovery: by property (name, type, source_id, or a desc path), by XPath
 * predicate, or all streams, each with a timeout in seconds. Returns short infos (no {@code desc});
 * an {@link Inlet} fetches the full info. Blocking, control plane only; thread-safe.
 */
public final class Resolver {
    /** Upper bound of streams returned by one call. */
    static final int MAX_RESULTS = 256;

    private Resolver() {}

    /**
     * Streams whose {@code prop} equals {@code value}; waits until {@code minimum} found or
     * timeout.
     */
    public static List<StreamInfo> byProperty(
            String prop, String value, int minimum, double timeoutS) {
        requireText("prop", prop);
        requireText("value", value);
        Lsl.load();
        Memory buffer = new Memory((long) MAX_RESULTS * Native.POINTER_SIZE);
        int n = LslNative.lsl_resolve_byprop(buffer, MAX_RESULTS, prop, value, minimum, timeoutS);
        return collect(buffer, n, "resolve " + prop + "='" + value + "'");
    }

    /**
     * Streams matching an XPath 1.0 predicate on {@code <info>}, e.g. {@code name='X' and
     * type='EEG'}.
     */
    public static List<StreamInfo> byPredicate(String predicate, int minimum, double timeoutS) {
        requireText("predicate", predicate);
        Lsl.load();
        Memory buffer = new Memory((long) MAX_RESULTS * Native.POINTER_SIZE);
        int n = LslNative.lsl_resolve_bypred(buffer, MAX_RESULTS, predicate, minimum, timeoutS);
        return collect(buffer, n, "resolve predicate " + predicate);
    }

    /** Every stream visible within {@code waitS} seconds. */
    public static List<StreamInfo> all(double waitS) {
        Lsl.load();
        Memory buffer = new Memory((long) MAX_RESULTS * Native.POINTER_SIZE);
        int n = LslNative.lsl_resolve_all(buffer, MAX_RESULTS, waitS);
        return collect(buffer, n, "resolve all");
    }

    /**
     * Adopts {@code n} native infos from {@code buffer} (each is destroyed with its StreamInfo).
     */
    static List<StreamInfo> collect(Memory buffer, int n, String operation) {
        if (n < 0) {
            LslException.check(n, operation);
        }
        List<StreamInfo> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(StreamInfo.adoptResolved(buffer.getPointer((long) i * Native.POINTER_SIZE)));
        }
        return result;
    }

    static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must be non-empty");
        }
    }
}
