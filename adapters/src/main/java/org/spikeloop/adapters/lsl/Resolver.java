package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One-shot stream discovery: by a header match evaluated here ({@link #matching}, {@link #named}),
 * by property (name, type, source_id, or a desc path), by XPath predicate, or all streams, each
 * with a timeout in seconds. Returns short infos (no {@code desc}); an {@link Inlet} fetches the
 * full info. Blocking, control plane only; thread-safe.
 *
 * <p>Untrusted names go through {@link #matching}: liblsl builds {@code prop='value'} for {@link
 * #byProperty} and evaluates {@link #byPredicate} as XPath, so a value with a quote ({@code x' or
 * '1'='1}) would change the query; {@link #byProperty} therefore refuses quotes, and predicates are
 * the caller's own text.
 */
public final class Resolver {
    /** Upper bound of streams returned by one call. */
    static final int MAX_RESULTS = 256;

    private Resolver() {}

    /** How often {@link #matching} reads its resolver's results. */
    static final long MATCH_POLL_MS = 10;

    /**
     * Streams whose header satisfies {@code match}, compared here in Java (nothing of the caller's
     * reaches a liblsl query); waits until {@code minimum} match or the timeout passes. Streams
     * whose headers {@link StreamInfo} refuses are skipped (see {@link #matching(Predicate, int,
     * double, Consumer)}).
     */
    public static List<StreamInfo> matching(
            Predicate<StreamInfo> match, int minimum, double timeoutS) {
        return matching(match, minimum, timeoutS, unreadable -> {});
    }

    /**
     * {@link #matching(Predicate, int, double)}, handing each refusal of a header {@link
     * StreamInfo} cannot read (liblsl publishes {@code channel_count} 0 and {@code channel_format}
     * undefined) to {@code unreadable}, on every poll, and leaving that stream out: one odd stream
     * on the network must not keep the caller from the stream it asked for.
     */
    public static List<StreamInfo> matching(
            Predicate<StreamInfo> match,
            int minimum,
            double timeoutS,
            Consumer<IllegalArgumentException> unreadable) {
        long endNs = System.nanoTime() + (long) (timeoutS * 1e9);
        try (ContinuousResolver resolver = ContinuousResolver.all(Math.max(1.0, timeoutS))) {
            while (true) {
                List<StreamInfo> found = new ArrayList<>();
                for (StreamInfo s : resolver.results(unreadable)) {
                    if (match.test(s)) {
                        found.add(s);
                    }
                }
                if (found.size() >= minimum || System.nanoTime() >= endNs) {
                    return found;
                }
                try {
                    Thread.sleep(MATCH_POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return found;
                }
            }
        }
    }

    /** Streams named exactly {@code name} (matched, see {@link #matching}). */
    public static List<StreamInfo> named(String name, int minimum, double timeoutS) {
        return named(name, minimum, timeoutS, unreadable -> {});
    }

    /**
     * Streams named exactly {@code name}; refusals of unreadable headers go to {@code unreadable}
     * (see {@link #matching(Predicate, int, double, Consumer)}).
     */
    public static List<StreamInfo> named(
            String name,
            int minimum,
            double timeoutS,
            Consumer<IllegalArgumentException> unreadable) {
        requireText("name", name);
        return matching(s -> s.name().equals(name), minimum, timeoutS, unreadable);
    }

    /**
     * Streams whose {@code prop} equals {@code value}; waits until {@code minimum} found or
     * timeout.
     *
     * @throws IllegalArgumentException when {@code value} contains a quote (liblsl pastes it into
     *     {@code prop='value'}; use {@link #matching})
     */
    public static List<StreamInfo> byProperty(
            String prop, String value, int minimum, double timeoutS) {
        requireText("prop", prop);
        requireText("value", value);
        requireNoQuote(value);
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
        return collect(buffer, n, operation, null);
    }

    /**
     * Adopts {@code n} native infos from {@code buffer}. A header {@link StreamInfo} refuses
     * (liblsl accepts {@code channel_count} 0 and {@code channel_format} undefined) throws, naming
     * the stream, when {@code unparsable} is null (the remaining native infos are released first);
     * otherwise it is handed to {@code unparsable} and skipped.
     */
    static List<StreamInfo> collect(
            Memory buffer, int n, String operation, Consumer<IllegalArgumentException> unparsable) {
        if (n < 0) {
            LslException.check(n, operation);
        }
        List<StreamInfo> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                result.add(
                        StreamInfo.adoptResolved(
                                buffer.getPointer((long) i * Native.POINTER_SIZE)));
            } catch (RuntimeException e) {
                if (unparsable == null || !(e instanceof IllegalArgumentException refused)) {
                    for (int j = i + 1; j < n; j++) {
                        LslNative.lsl_destroy_streaminfo(
                                buffer.getPointer((long) j * Native.POINTER_SIZE));
                    }
                    throw e;
                }
                unparsable.accept(refused);
            }
        }
        return result;
    }

    /** Refuses a value liblsl would paste into a {@code prop='value'} query. */
    static void requireNoQuote(String value) {
        if (value.indexOf('\'') >= 0 || value.indexOf('"') >= 0) {
            throw new IllegalArgumentException(
                    "value: must not contain a quote (liblsl builds the query prop='value'); match"
                            + " such names with Resolver.matching");
        }
    }

    static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must be non-empty");
        }
    }
}
