package org.spikeloop.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.net.ConnectionLimiter;
import org.spikeloop.server.security.Principal;
import org.spikeloop.server.security.RefusalLog;
import org.spikeloop.server.security.TokenStore;

/**
 * The server's one HTTP listener (Netty): the Prometheus endpoint and, later, the status page are
 * {@link HttpRoute}s on it. Made to stay up under careless and hostile clients:
 *
 * <ul>
 *   <li>connections are capped in total and per peer address at accept ({@link ConnectionLimiter},
 *       {@code http.maxConnections}, {@code http.maxConnectionsPerPeer});
 *   <li>a connection has {@code http.requestTimeoutS} to send each whole request, from its opening
 *       or the previous answer, else it is closed: half-open, idle and trickling connections give
 *       their slot back;
 *   <li>the request line and headers are capped ({@code http.maxHeaderBytes}; more is 431), a body
 *       is refused (these routes take none);
 *   <li>with a token store, every request needs exactly one {@code Authorization: Bearer <token>}
 *       header with a known token (any role), else 401; refusals are counted in aggregate ({@link
 *       RefusalLog});
 *   <li>with TLS ({@code tls.cert}), it serves HTTPS only.
 * </ul>
 *
 * Only GET and HEAD exist (405 otherwise); an unknown path is 404.
 *
 * <p>Threading: one event-loop thread accepts and does the I/O; one handler thread runs the routes,
 * so a slow scrape never holds up accepting or refusing connections.
 */
public final class HttpServer implements AutoCloseable {
    private final EventLoopGroup loop = new NioEventLoopGroup(1, daemon("spikeloop-http-io"));
    private final ExecutorService handlers =
            Executors.newSingleThreadExecutor(daemon("spikeloop-http-handler"));
    private final Channel channel;
    private final ConnectionLimiter limiter;

    /**
     * Binds and starts serving.
     *
     * @param ssl TLS, or null for plain HTTP
     * @param tokens the token store requests must show a token of, or null for none
     * @param refusals where refused requests are counted (may be null)
     * @param routes path → route
     * @throws java.io.IOException when the address cannot be bound
     */
    public HttpServer(
            String host,
            int port,
            ServerConfig.HttpConfig limits,
            SslContext ssl,
            TokenStore tokens,
            RefusalLog refusals,
            Map<String, HttpRoute> routes)
            throws java.io.IOException {
        this.limiter =
                new ConnectionLimiter(
                        "http", limits.maxConnections(), limits.maxConnectionsPerPeer());
        Map<String, HttpRoute> table = Map.copyOf(routes);
        long timeoutMs = Math.round(limits.requestTimeoutS() * 1000);
        ServerBootstrap b =
                new ServerBootstrap()
                        .group(loop)
                        .channel(NioServerSocketChannel.class)
                        .handler(limiter) // on the acceptor, before a connection is set up
                        .childHandler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        if (ssl != null) {
                                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                                        }
                                        ch.pipeline()
                                                .addLast(
                                                        new HttpServerCodec(
                                                                4096,
                                                                limits.maxHeaderBytes(),
                                                                8192))
                                                .addLast(new HttpObjectAggregator(0))
                                                .addLast(
                                                        new RequestHandler(
                                                                table, tokens, refusals, timeoutMs,
                                                                handlers));
                                    }
                                });
        try {
            this.channel = b.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new java.io.IOException("interrupted while binding " + host + ":" + port, e);
        } catch (RuntimeException e) {
            close();
            throw new java.io.IOException(
                    "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The listener's connection counts. */
    public ConnectionLimiter connections() {
        return limiter;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        handlers.shutdownNow();
    }

    /** One connection's requests, in order; closes the connection when it keeps it waiting. */
    private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private static final String BEARER = "Bearer ";

        private final Map<String, HttpRoute> routes;
        private final TokenStore tokens;
        private final RefusalLog refusals;
        private final long timeoutMs;
        private final Executor routeRunner;
        private ScheduledFuture<?> deadline;

        RequestHandler(
                Map<String, HttpRoute> routes,
                TokenStore tokens,
                RefusalLog refusals,
                long timeoutMs,
                Executor routeRunner) {
            this.routes = routes;
            this.tokens = tokens;
            this.refusals = refusals;
            this.timeoutMs = timeoutMs;
            this.routeRunner = routeRunner;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            armDeadline(ctx);
        }

        private void armDeadline(ChannelHandlerContext ctx) {
            deadline = ctx.executor().schedule(() -> ctx.close(), timeoutMs, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            deadline.cancel(false);
            // Checked on the event loop; a route runs on the handler thread, off the loop.
            HttpRoute route = check(ctx, request);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean head = request.method().equals(HttpMethod.HEAD);
            if (route == null) {
                send(ctx, refusal, false, head);
                return;
            }
            try {
                routeRunner.execute(() -> send(ctx, answer(route), keepAlive, head));
            } catch (RejectedExecutionException e) {
                ctx.close(); // shutting down
            }
        }

        /** Writes a response (any thread: Netty hands the write to the event loop). */
        private void send(
                ChannelHandlerContext ctx,
                FullHttpResponse response,
                boolean keepAlive,
                boolean head) {
            boolean keep = keepAlive && response.status().code() < 400;
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (head) {
                response.content().clear();
            }
            if (keep) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
                ctx.executor().execute(() -> armDeadline(ctx)); // the next request, same time
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private FullHttpResponse refusal;

        private static FullHttpResponse answer(HttpRoute route) {
            HttpReply reply = route.get();
            FullHttpResponse r =
                    new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(reply.status()),
                            Unpooled.wrappedBuffer(reply.body()));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            return r;
        }

        /** The route to run, or null with {@link #refusal} set to the answer. */
        private HttpRoute check(ChannelHandlerContext ctx, FullHttpRequest request) {
            refusal = refuse(ctx, request);
            return refusal == null
                    ? routes.get(new QueryStringDecoder(request.uri()).path())
                    : null;
        }

        private FullHttpResponse refuse(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                // Netty's codec marks an over-long line or header block as a failed decode.
                return text(
                        HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "request line or headers too large, or malformed\n");
            }
            if (request.content().isReadable()) {
                return text(HttpResponseStatus.BAD_REQUEST, "these routes take no body\n");
            }
            String path = new QueryStringDecoder(request.uri()).path();
            HttpRoute route = routes.get(path);
            if (route == null) {
                return text(
                        HttpResponseStatus.NOT_FOUND,
                        "no such path: use " + routes.keySet() + "\n");
            }
            if (!request.method().equals(HttpMethod.GET)
                    && !request.method().equals(HttpMethod.HEAD)) {
                FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD\n");
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                return r;
            }
            if (tokens != null) {
                String refusal =
                        checkToken(request.headers().getAll(HttpHeaderNames.AUTHORIZATION));
                if (refusal != null) {
                    if (refusals != null) {
                        refusals.refused(
                                RefusalLog.Reason.UNAUTHENTICATED,
                                "?",
                                request.method() + " " + path,
                                String.valueOf(ctx.channel().remoteAddress()));
                    }
                    FullHttpResponse r = text(HttpResponseStatus.UNAUTHORIZED, refusal + "\n");
                    r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                    return r;
                }
            }
            return null;
        }

        /** Why the request's credentials are refused, or null when they are good. */
        private String checkToken(List<String> headers) {
            if (headers.size() > 1) {
                return "more than one Authorization header: send exactly one";
            }
            if (headers.isEmpty() || !headers.get(0).startsWith(BEARER)) {
                return "missing bearer token: send 'Authorization: Bearer <token>'";
            }
            Principal p = tokens.lookup(headers.get(0).substring(BEARER.length()).strip());
            return p == null ? "unknown bearer token" : null;
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body) {
            FullHttpResponse r =
                    new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1,
                            status,
                            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a broken connection (reset, TLS failure): nothing to answer
        }
    }
}
