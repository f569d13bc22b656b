package org.spikeloop.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.net.ConnectionLimiter;
import org.spikeloop.server.security.Principal;
import org.spikeloop.server.security.RefusalLog;
import org.spikeloop.server.security.TokenStore;

/**
 * The server's one HTTP listener (Netty): the Prometheus endpoint and the status page are {@link
 * HttpRoute}s on it, the status page's live feed an {@link EventStreamRoute}. Made to stay up under
 * careless and hostile clients:
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
 *       RefusalLog}). Only {@linkplain HttpRoute#isPublic public} routes (the status page's own
 *       HTML, script and style, which hold no data) are served without one;
 *   <li>event streams are capped ({@code http.maxEventStreams}; more is 503), and each one's
 *       outbound buffer is bounded ({@link #EVENT_STREAM_BUFFER_BYTES}): a client that does not
 *       read loses events ({@link EventStream#send}), it never holds up their sender;
 *   <li>with TLS ({@code tls.cert}), it serves HTTPS only.
 * </ul>
 *
 * GET and HEAD exist, and POST for the routes that {@linkplain HttpRoute#acceptsPost accept it}
 * (405 otherwise); an unknown path is 404.
 *
 * <p>Threading: one event-loop thread accepts and does the I/O; one handler thread runs the routes,
 * so a slow scrape never holds up accepting or refusing connections. An event stream's events are
 * written from whichever thread sends them.
 */
public final class HttpServer implements AutoCloseable {
    /**
     * An event stream's outbound buffer: above it, events are dropped until the client has read
     * below half of it. 64 KiB holds about a second of the status page's feed.
     */
    public static final int EVENT_STREAM_BUFFER_BYTES = 64 * 1024;

    private final EventLoopGroup loop = new NioEventLoopGroup(1, daemon("spikeloop-http-io"));
    private final ExecutorService handlers =
            Executors.newSingleThreadExecutor(daemon("spikeloop-http-handler"));
    private final Channel channel;
    private final ConnectionLimiter limiter;
    private final AtomicInteger openStreams = new AtomicInteger();

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
        this(host, port, limits, ssl, tokens, refusals, routes, Map.of());
    }

    /**
     * Binds and starts serving routes and event streams.
     *
     * @param streams path → event stream route (paths apart from {@code routes}')
     * @throws java.io.IOException when the address cannot be bound
     */
    public HttpServer(
            String host,
            int port,
            ServerConfig.HttpConfig limits,
            SslContext ssl,
            TokenStore tokens,
            RefusalLog refusals,
            Map<String, HttpRoute> routes,
            Map<String, EventStreamRoute> streams)
            throws java.io.IOException {
        this.limiter =
                new ConnectionLimiter(
                        "http", limits.maxConnections(), limits.maxConnectionsPerPeer());
        Map<String, HttpRoute> table = Map.copyOf(routes);
        Map<String, EventStreamRoute> streamTable = Map.copyOf(streams);
        Paths paths =
                new Paths(table, streamTable, limits.maxEventStreams(), openStreams, handlers);
        long timeoutMs = Math.round(limits.requestTimeoutS() * 1000);
        ServerBootstrap b =
                new ServerBootstrap()
                        .group(loop)
                        .channel(NioServerSocketChannel.class)
                        .handler(limiter) // on the acceptor, before a connection is set up
                        .childOption(
                                ChannelOption.WRITE_BUFFER_WATER_MARK,
                                new WriteBufferWaterMark(
                                        EVENT_STREAM_BUFFER_BYTES / 2, EVENT_STREAM_BUFFER_BYTES))
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
                                                                paths, tokens, refusals,
                                                                timeoutMs));
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

    /** Event streams open now. */
    public int openEventStreams() {
        return openStreams.get();
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

    /** What the listener serves, shared by its connections. */
    private record Paths(
            Map<String, HttpRoute> routes,
            Map<String, EventStreamRoute> streams,
            int maxStreams,
            AtomicInteger openStreams,
            Executor runner) {
        boolean exists(String path) {
            return routes.containsKey(path) || streams.containsKey(path);
        }

        java.util.Set<String> all() {
            java.util.Set<String> all = new java.util.TreeSet<>(routes.keySet());
            all.addAll(streams.keySet());
            return all;
        }
    }

    /** One connection's requests, in order; closes the connection when it keeps it waiting. */
    private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private static final String BEARER = "Bearer ";

        private final Paths paths;
        private final TokenStore tokens;
        private final RefusalLog refusals;
        private final long timeoutMs;
        private ScheduledFuture<?> deadline;
        private boolean streaming;

        RequestHandler(Paths paths, TokenStore tokens, RefusalLog refusals, long timeoutMs) {
            this.paths = paths;
            this.tokens = tokens;
            this.refusals = refusals;
            this.timeoutMs = timeoutMs;
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
            if (streaming) {
                ctx.close(); // a request on a connection that carries an event stream
                return;
            }
            // Checked on the event loop; a route runs on the handler thread, off the loop.
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean head = request.method().equals(HttpMethod.HEAD);
            Checked checked = check(ctx, request);
            if (checked.refusal != null) {
                send(ctx, checked.refusal, false, head);
                return;
            }
            try {
                if (checked.stream != null) {
                    streaming = true;
                    paths.runner.execute(() -> openStream(ctx, checked.stream, checked.request));
                } else {
                    paths.runner.execute(
                            () ->
                                    send(
                                            ctx,
                                            answer(checked.route, checked.request),
                                            keepAlive,
                                            head));
                }
            } catch (RejectedExecutionException e) {
                ctx.close(); // shutting down
            }
        }

        /** On the handler thread: the route's check, the cap, the headers, then the route. */
        private void openStream(
                ChannelHandlerContext ctx, EventStreamRoute route, RouteRequest request) {
            try {
                route.check(request);
            } catch (RouteException e) {
                send(
                        ctx,
                        text(HttpResponseStatus.valueOf(e.status()), e.getMessage() + "\n"),
                        false,
                        false);
                return;
            }
            if (paths.openStreams.incrementAndGet() > paths.maxStreams) {
                paths.openStreams.decrementAndGet();
                send(
                        ctx,
                        text(
                                HttpResponseStatus.SERVICE_UNAVAILABLE,
                                "http.maxEventStreams = "
                                        + paths.maxStreams
                                        + " event streams are open; close a page or raise the"
                                        + " key\n"),
                        false,
                        false);
                return;
            }
            Channel ch = ctx.channel();
            ch.closeFuture().addListener(f -> paths.openStreams.decrementAndGet());
            DefaultHttpResponse headers =
                    new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            headers.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            HttpUtil.setTransferEncodingChunked(headers, true);
            ch.writeAndFlush(headers);
            EventStream stream = new EventStream(ch);
            try {
                route.open(request, stream);
            } catch (RuntimeException e) {
                stream.send("error", "\"" + jsonEscape(String.valueOf(e.getMessage())) + "\"");
                stream.close();
            }
        }

        private static String jsonEscape(String s) {
            return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
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

        private static FullHttpResponse answer(HttpRoute route, RouteRequest request) {
            HttpReply reply;
            try {
                reply = route.handle(request);
            } catch (RouteException e) {
                return text(HttpResponseStatus.valueOf(e.status()), e.getMessage() + "\n");
            }
            FullHttpResponse r =
                    new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(reply.status()),
                            Unpooled.wrappedBuffer(reply.body()));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            return r;
        }

        /** A checked request: what to run it with, or the refusal to answer. */
        private record Checked(
                FullHttpResponse refusal,
                HttpRoute route,
                EventStreamRoute stream,
                RouteRequest request) {
            static Checked refused(FullHttpResponse r) {
                return new Checked(r, null, null, null);
            }
        }

        private Checked check(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                // Netty's codec marks an over-long line or header block as a failed decode.
                return Checked.refused(
                        text(
                                HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                                "request line or headers too large, or malformed\n"));
            }
            if (request.content().isReadable()) {
                return Checked.refused(
                        text(
                                HttpResponseStatus.BAD_REQUEST,
                                "these routes take no body (parameters go in the query)\n"));
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            if (!paths.exists(path)) {
                return Checked.refused(
                        text(
                                HttpResponseStatus.NOT_FOUND,
                                "no such path: use " + paths.all() + "\n"));
            }
            HttpRoute route = paths.routes.get(path);
            EventStreamRoute stream = paths.streams.get(path);
            HttpMethod m = request.method();
            boolean allowed =
                    stream != null
                            ? m.equals(HttpMethod.GET)
                            : m.equals(HttpMethod.GET)
                                    || m.equals(HttpMethod.HEAD)
                                    || (m.equals(HttpMethod.POST) && route.acceptsPost());
            if (!allowed) {
                String allow =
                        stream != null
                                ? "GET"
                                : route.acceptsPost() ? "GET, HEAD, POST" : "GET, HEAD";
                FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, allow + "\n");
                r.headers().set(HttpHeaderNames.ALLOW, allow);
                return Checked.refused(r);
            }
            List<String> auth = request.headers().getAll(HttpHeaderNames.AUTHORIZATION);
            Principal caller = Principal.ANONYMOUS;
            boolean open = route != null && route.isPublic();
            if (tokens != null && open) {
                caller = null; // served to anyone; it shows nothing of the server
            } else if (tokens != null) {
                Principal p = lookup(auth);
                if (p == null) {
                    if (refusals != null) {
                        refusals.refused(
                                RefusalLog.Reason.UNAUTHENTICATED,
                                "?",
                                m + " " + path,
                                String.valueOf(ctx.channel().remoteAddress()));
                    }
                    FullHttpResponse r =
                            text(HttpResponseStatus.UNAUTHORIZED, tokenRefusal(auth) + "\n");
                    r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                    return Checked.refused(r);
                }
                caller = p;
            }
            Map<String, String> query = new java.util.HashMap<>();
            uri.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
            RouteRequest r =
                    new RouteRequest(
                            m.name(), path, query, caller, auth.size() == 1 ? auth.get(0) : "");
            return new Checked(null, route, stream, r);
        }

        /** The principal of the request's one bearer token, or null. */
        private Principal lookup(List<String> headers) {
            if (headers.size() != 1 || !headers.get(0).startsWith(BEARER)) {
                return null;
            }
            return tokens.lookup(headers.get(0).substring(BEARER.length()).strip());
        }

        /** Why the request's credentials are refused. */
        private static String tokenRefusal(List<String> headers) {
            if (headers.size() > 1) {
                return "more than one Authorization header: send exactly one";
            }
            if (headers.isEmpty() || !headers.get(0).startsWith(BEARER)) {
                return "missing bearer token: send 'Authorization: Bearer <token>'";
            }
            return "unknown bearer token";
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
