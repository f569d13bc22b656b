package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.spikeloop.server.net.ConnectionLimiter;

/**
 * The listeners under load, registered once at start-up: {@code
 * spikeloop_connections{listener="grpc"|"http"}} (open now), {@code
 * spikeloop_connections_refused_total{listener, reason="total"|"per_peer"}} (closed at accept over
 * a cap) and {@code spikeloop_refused_calls_total{reason="unauthenticated"|"permission_denied"}}
 * (calls and HTTP requests refused for their credentials, which the audit log only sums up).
 */
public final class TransportMeters implements MeterBinder {
    private final List<ConnectionLimiter> listeners;
    private final ToLongFunction<String> refusedCalls;

    /**
     * @param listeners the listeners' connection limiters
     * @param refusedCalls refused calls so far by reason ("UNAUTHENTICATED", "PERMISSION_DENIED")
     */
    public TransportMeters(List<ConnectionLimiter> listeners, ToLongFunction<String> refusedCalls) {
        this.listeners = List.copyOf(listeners);
        this.refusedCalls = refusedCalls;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ConnectionLimiter l : listeners) {
            Gauge.builder("spikeloop.connections", l, ConnectionLimiter::open)
                    .strongReference(true)
                    .tag("listener", l.listener())
                    .description("Connections open now")
                    .register(registry);
            for (ConnectionLimiter.Refusal why : ConnectionLimiter.Refusal.values()) {
                FunctionCounter.builder("spikeloop.connections.refused", l, c -> c.refused(why))
                        .tag("listener", l.listener())
                        .tag("reason", why.name().toLowerCase(Locale.ROOT))
                        .description("Connections closed at accept because a cap was reached")
                        .register(registry);
            }
        }
        for (String reason : List.of("UNAUTHENTICATED", "PERMISSION_DENIED")) {
            FunctionCounter.builder(
                            "spikeloop.refused.calls", refusedCalls, f -> f.applyAsLong(reason))
                    .tag("reason", reason.toLowerCase(Locale.ROOT))
                    .description("Calls and HTTP requests refused for their credentials")
                    .register(registry);
        }
    }
}
