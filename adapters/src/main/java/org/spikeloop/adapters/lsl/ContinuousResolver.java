package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches streams appear and disappear in the background (liblsl's continuous resolver). {@link
 * #poll()} compares the current results with the previous poll by stream uid. A stream is reported
 * gone {@code forgetAfterS} seconds after it stopped answering. Owned by one thread; control plane.
 */
public final class ContinuousResolver implements AutoCloseable {
    /** What changed since the previous {@link #poll()}. */
    public record Changes(
            List<StreamInfo> current, List<StreamInfo> appeared, List<StreamInfo> disappeared) {}

    private final Pointer handle;
    private final Memory buffer = new Memory((long) Resolver.MAX_RESULTS * Native.POINTER_SIZE);
    private Map<String, StreamInfo> known = new LinkedHashMap<>();
    private boolean closed;

    private ContinuousResolver(Pointer handle) {
        if (handle == null) {
            throw new IllegalStateException("liblsl could not create a continuous resolver");
        }
        this.handle = handle;
    }

    /** Watches all streams. */
    public static ContinuousResolver all(double forgetAfterS) {
        Lsl.load();
        return new ContinuousResolver(LslNative.lsl_create_continuous_resolver(forgetAfterS));
    }

    /**
     * Watches streams whose {@code prop} equals {@code value}.
     *
     * @throws IllegalArgumentException when {@code value} contains a quote (liblsl pastes it into
     *     {@code prop='value'}; watch {@link #all} and match instead)
     */
    public static ContinuousResolver byProperty(String prop, String value, double forgetAfterS) {
        Resolver.requireText("prop", prop);
        Resolver.requireText("value", value);
        Resolver.requireNoQuote(value);
        Lsl.load();
        return new ContinuousResolver(
                LslNative.lsl_create_continuous_resolver_byprop(prop, value, forgetAfterS));
    }

    /** Watches streams matching an XPath predicate. */
    public static ContinuousResolver byPredicate(String predicate, double forgetAfterS) {
        Resolver.requireText("predicate", predicate);
        Lsl.load();
        return new ContinuousResolver(
                LslNative.lsl_create_continuous_resolver_bypred(predicate, forgetAfterS));
    }

    /**
     * The streams currently visible.
     *
     * @throws IllegalArgumentException naming the stream when one of them has a header {@link
     *     StreamInfo} refuses (see {@link #results(Consumer)})
     */
    public List<StreamInfo> results() {
        return results(null);
    }

    /**
     * The streams currently visible whose headers {@link StreamInfo} accepts. Each one it refuses
     * (liblsl accepts {@code channel_count} 0 and {@code channel_format} undefined, this library
     * does not) is handed to {@code unparsable} — the refusal, naming the stream and its uid — and
     * left out, so one odd stream on the network hides none of the others.
     */
    public List<StreamInfo> results(Consumer<IllegalArgumentException> unparsable) {
        if (closed) {
            throw new IllegalStateException("continuous resolver is closed");
        }
        int n = LslNative.lsl_resolver_results(handle, buffer, Resolver.MAX_RESULTS);
        return Resolver.collect(buffer, n, "continuous resolver results", unparsable);
    }

    /** Current streams plus those that appeared or disappeared since the previous poll. */
    public Changes poll() {
        List<StreamInfo> current = results();
        Map<String, StreamInfo> now = new LinkedHashMap<>();
        for (StreamInfo s : current) {
            now.put(s.uid(), s);
        }
        List<StreamInfo> appeared = new ArrayList<>();
        for (Map.Entry<String, StreamInfo> e : now.entrySet()) {
            if (!known.containsKey(e.getKey())) {
                appeared.add(e.getValue());
            }
        }
        List<StreamInfo> gone = new ArrayList<>();
        for (Map.Entry<String, StreamInfo> e : known.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                gone.add(e.getValue());
            }
        }
        known = now;
        return new Changes(current, appeared, gone);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LslNative.lsl_destroy_continuous_resolver(handle);
        }
    }
}
