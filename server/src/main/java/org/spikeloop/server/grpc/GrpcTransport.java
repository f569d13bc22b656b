package org.spikeloop.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCredentials;
import io.grpc.internal.ObjectPool;
import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.net.ConnectionLimiter;

/**
 * The gRPC listener's limits ({@code transport.*}, {@link ServerConfig.TransportConfig}): how many
 * connections (in total and per peer, {@link ConnectionLimiter}, checked when a connection is
 * accepted and before TLS or HTTP/2 run on it), how many concurrent streams per connection, how
 * long a connection has for its TLS handshake and HTTP/2 preface, the keep-alive policy (the server
 * pings idle connections and closes dead ones, clients may not ping too often, idle connections
 * close), the rapid-reset cap, and the bounded pools that run the calls.
 *
 * <p>The connection cap hooks into grpc-netty's protocol negotiator through its {@code Internal*}
 * accessors (the only place a gRPC server lets a handler see each accepted connection first): the
 * configured credentials' negotiator is wrapped, so TLS and plaintext behave exactly as before.
 */
public final class GrpcTransport {
    /** Calls that may block their thread for seconds (admission, building, LSL resolution). */
    static final Set<String> CONTROL_METHODS =
            Set.of(
                    "spikeloop.v1.SessionService/CreateSession",
                    "spikeloop.v1.SessionService/StopSession");

    private GrpcTransport() {}

    /** A Netty server on {@code address} with every {@code transport.*} limit applied. */
    public static NettyServerBuilder builder(
            InetSocketAddress address,
            ServerCredentials credentials,
            ServerConfig.TransportConfig t,
            ConnectionLimiter limiter) {
        return NettyServerBuilder.forAddress(address, limited(credentials, limiter))
                .maxConcurrentCallsPerConnection(t.maxConcurrentStreamsPerConnection())
                .handshakeTimeout(millis(t.handshakeTimeoutS()), TimeUnit.MILLISECONDS)
                .keepAliveTime(millis(t.keepAliveTimeS()), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(millis(t.keepAliveTimeoutS()), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(millis(t.permitKeepAliveTimeS()), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(false)
                .maxConnectionIdle(millis(t.maxConnectionIdleS()), TimeUnit.MILLISECONDS)
                .maxRstFramesPerWindow(t.maxRstStreamsPerSecond(), 1);
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }

    /**
     * {@code credentials} whose every accepted connection first passes {@code limiter}: refused, it
     * is closed before its handshake; admitted, the credentials' own negotiation follows.
     */
    static ServerCredentials limited(ServerCredentials credentials, ConnectionLimiter limiter) {
        InternalProtocolNegotiator.ServerFactory inner =
                InternalNettyServerCredentials.toNegotiator(credentials);
        return InternalNettyServerCredentials.create(
                new InternalProtocolNegotiator.ServerFactory() {
                    @Override
                    public InternalProtocolNegotiator.ProtocolNegotiator newNegotiator(
                            ObjectPool<? extends Executor> offloadPool) {
                        InternalProtocolNegotiator.ProtocolNegotiator n =
                                inner.newNegotiator(offloadPool);
                        return new InternalProtocolNegotiator.ProtocolNegotiator() {
                            @Override
                            public AsciiString scheme() {
                                return n.scheme();
                            }

                            @Override
                            public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpc) {
                                return new Gate(limiter, n.newHandler(grpc));
                            }

                            @Override
                            public void close() {
                                n.close();
                            }
                        };
                    }
                });
    }

    /**
     * First in a new connection's pipeline: admits the connection (then puts the negotiation
     * handler right after itself and stays as a pass-through) or closes it.
     */
    private static final class Gate extends ChannelInboundHandlerAdapter {
        private final ConnectionLimiter limiter;
        private final ChannelHandler negotiation;

        Gate(ConnectionLimiter limiter, ChannelHandler negotiation) {
            this.limiter = limiter;
            this.negotiation = negotiation;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (limiter.admit(ctx.channel())) {
                ctx.pipeline().addAfter(ctx.name(), null, negotiation);
            }
        }
    }

    /**
     * The bounded pools that run calls: {@code transport.rpcThreads} for every call, and {@code
     * transport.controlThreads} for the calls that may block for seconds ({@link
     * #CONTROL_METHODS}), so that a burst of them cannot hold every thread while ingest and watch
     * calls wait. Fixed pools: a flood of calls queues (at most {@code maxConnections x
     * maxConcurrentStreamsPerConnection} calls exist at once), it never starts threads.
     */
    public static final class CallExecutors implements AutoCloseable {
        private final ExecutorService rpc;
        private final ExecutorService control;

        public CallExecutors(ServerConfig.TransportConfig t) {
            this.rpc = pool("spikeloop-rpc-", t.rpcThreads());
            this.control = pool("spikeloop-rpc-control-", t.controlThreads());
        }

        private static ExecutorService pool(String prefix, int threads) {
            AtomicInteger n = new AtomicInteger();
            return Executors.newFixedThreadPool(
                    threads,
                    r -> {
                        Thread t = new Thread(r, prefix + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
        }

        /** Sets the builder's executors. */
        public void applyTo(ServerBuilder<?> builder) {
            builder.executor(rpc);
            builder.callExecutor(new Supplier(control));
        }

        @Override
        public void close() throws InterruptedException {
            rpc.shutdown();
            control.shutdown();
            rpc.awaitTermination(5, TimeUnit.SECONDS);
            control.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static final class Supplier implements ServerCallExecutorSupplier {
        private final Executor control;

        Supplier(Executor control) {
            this.control = control;
        }

        @Override
        public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
            return CONTROL_METHODS.contains(call.getMethodDescriptor().getFullMethodName())
                    ? control
                    : null; // the rpc pool
        }
    }
}
