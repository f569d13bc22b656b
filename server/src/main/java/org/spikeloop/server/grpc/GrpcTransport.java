package org.spikeloop.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.net.ConnectionLimiter;
import org.spikeloop.server.os.NicedThreads;

/**
 * The gRPC listener's limits ({@code transport.*}, {@link ServerConfig.TransportConfig}): how many
 * connections (in total and per peer, {@link ConnectionLimiter}, on the listening channel itself,
 * so a refused connection is closed on the acceptor's thread before it is set up), how many
 * concurrent streams per connection, how long a connection has for its TLS handshake and HTTP/2
 * preface, the keep-alive policy (the server pings idle connections and closes dead ones, clients
 * may not ping too often, idle connections close), the rapid-reset cap, and the bounded pools that
 * run the calls.
 *
 * <p>The limiter sits in the listening channel's pipeline, which grpc-netty lets us reach only by
 * making the channel ({@code channelFactory}); it then wants the event loops too ({@link
 * EventLoops}: epoll where Netty's native transport loads, NIO elsewhere, as grpc-netty picks).
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
            ConnectionLimiter limiter,
            EventLoops loops) {
        return NettyServerBuilder.forAddress(address, credentials)
                .channelFactory(loops.serverChannels(limiter))
                .bossEventLoopGroup(loops.boss)
                .workerEventLoopGroup(loops.workers)
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
     * The gRPC listeners' event loops: one acceptor thread and Netty's default number of I/O
     * threads, epoll when Netty's native transport is available (as grpc-netty's own default), else
     * NIO. Owned here: grpc-netty does not shut down loops it was given.
     */
    public static final class EventLoops implements AutoCloseable {
        private final boolean epoll = Epoll.isAvailable();
        private final EventLoopGroup boss;
        private final EventLoopGroup workers;

        /** Loops at the default priority. */
        public EventLoops() {
            this(0);
        }

        /**
         * @param nice the loops' niceness ({@code transport.threadNice}: below the engine threads,
         *     so a flood of calls cannot take their cores)
         */
        public EventLoops(int nice) {
            ThreadFactory bossThreads =
                    NicedThreads.of(new DefaultThreadFactory("spikeloop-grpc-boss", true), nice);
            ThreadFactory ioThreads =
                    NicedThreads.of(new DefaultThreadFactory("spikeloop-grpc-io", true), nice);
            if (epoll) {
                boss = new EpollEventLoopGroup(1, bossThreads);
                workers = new EpollEventLoopGroup(0, ioThreads);
            } else {
                boss = new NioEventLoopGroup(1, bossThreads);
                workers = new NioEventLoopGroup(0, ioThreads);
            }
        }

        /** Listening channels of the loops' kind, each with {@code limiter} in its pipeline. */
        ChannelFactory<ServerChannel> serverChannels(ConnectionLimiter limiter) {
            return () -> {
                ServerChannel ch =
                        epoll ? new EpollServerSocketChannel() : new NioServerSocketChannel();
                ch.pipeline().addLast(limiter);
                return ch;
            };
        }

        @Override
        public void close() {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
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
            this.rpc = pool("spikeloop-rpc-", t.rpcThreads(), t.threadNice());
            this.control = pool("spikeloop-rpc-control-", t.controlThreads(), t.threadNice());
        }

        private static ExecutorService pool(String prefix, int threads, int nice) {
            AtomicInteger n = new AtomicInteger();
            return Executors.newFixedThreadPool(
                    threads,
                    NicedThreads.of(
                            r -> {
                                Thread t = new Thread(r, prefix + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            },
                            nice));
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
