package org.spikeloop.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps a listener's open connections, in total and per peer address, at accept time: a connection
 * over a cap is closed at once, before any protocol runs on it, and counted. One client (one IP
 * address) can therefore hold at most {@code maxPerPeer} connections, and all clients together
 * {@code maxTotal}, which keeps the process's file descriptors for its sessions, recordings and
 * registry (the start-up check in the application sizes the caps against {@code ulimit -n}).
 *
 * <p>It is a handler of the listening (parent) channel: it sees each accepted connection on the
 * acceptor's thread, before the connection is handed to a worker thread, and closes a refused one
 * right there ({@code closeForcibly}), so its descriptor is free before the next accept. Checked
 * later, on the worker threads, a burst of connections outran the closing: the acceptor took every
 * descriptor of the process, and even loading a class failed ("Too many open files").
 *
 * <p>Threading: the acceptor's event-loop thread calls in; the counts are read from any thread; a
 * connection's slot is given back when its channel closes.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    /** Why a connection was refused. */
    public enum Refusal {
        TOTAL,
        PER_PEER,
        /** closed after too many calls without valid credentials ({@link #strike}) */
        CREDENTIALS
    }

    /** Calls refused for their credentials on a connection so far. */
    private static final AttributeKey<AtomicInteger> STRIKES =
            AttributeKey.valueOf("spikeloop-credential-strikes");

    private final String listener;
    private final int maxTotal;
    private final int maxPerPeer;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<Object, Integer> perPeer = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SocketAddress, Channel> byRemote = new ConcurrentHashMap<>();
    private final LongAdder[] refused = {new LongAdder(), new LongAdder(), new LongAdder()};

    /**
     * @param listener the listener's name, e.g. {@code grpc} or {@code http}
     * @param maxTotal connections open at once
     * @param maxPerPeer connections open at once from one IP address
     */
    public ConnectionLimiter(String listener, int maxTotal, int maxPerPeer) {
        if (maxTotal < 1 || maxPerPeer < 1) {
            throw new IllegalArgumentException(
                    listener
                            + ": connection limits must be >= 1, got "
                            + maxTotal
                            + "/"
                            + maxPerPeer);
        }
        this.listener = listener;
        this.maxTotal = maxTotal;
        this.maxPerPeer = maxPerPeer;
    }

    /** An accepted connection, on the acceptor's thread: passed on to be set up, or closed. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child && !admit(child)) {
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Admits a newly accepted connection or closes it. Admitted, it holds a slot until it closes.
     *
     * @return whether it was admitted
     */
    public boolean admit(Channel channel) {
        Object peer = peerOf(channel.remoteAddress());
        if (open.incrementAndGet() > maxTotal) {
            open.decrementAndGet();
            return refuse(channel, Refusal.TOTAL);
        }
        boolean[] taken = {false};
        perPeer.compute(
                peer,
                (k, n) -> {
                    int count = n == null ? 0 : n;
                    if (count >= maxPerPeer) {
                        return n;
                    }
                    taken[0] = true;
                    return count + 1;
                });
        if (!taken[0]) {
            open.decrementAndGet();
            return refuse(channel, Refusal.PER_PEER);
        }
        SocketAddress remote = channel.remoteAddress();
        if (remote != null) {
            byRemote.put(remote, channel);
        }
        channel.closeFuture()
                .addListener(
                        f -> {
                            if (remote != null) {
                                byRemote.remove(remote, channel);
                            }
                            release(peer);
                        });
        return true;
    }

    /**
     * A call on the connection from {@code remote} was refused for its credentials (no or an
     * unknown token); the {@code max}-th such call closes the connection. A client without valid
     * credentials then pays a new connection (TCP, TLS, HTTP/2 set-up, and the per-peer cap) for
     * every {@code max} refusals instead of refusing calls at the transport's full speed on
     * connections it keeps: the refusal is cheap, the flood of them is what costs the decoders
     * their CPU. The first refusals still carry the clear UNAUTHENTICATED message.
     *
     * @param remote the call's {@code Grpc.TRANSPORT_ATTR_REMOTE_ADDR}
     * @return whether this refusal closed the connection
     */
    public boolean strike(SocketAddress remote, int max) {
        Channel channel = remote == null ? null : byRemote.get(remote);
        if (channel == null) {
            return false;
        }
        Attribute<AtomicInteger> attribute = channel.attr(STRIKES);
        AtomicInteger strikes = attribute.get();
        if (strikes == null) {
            AtomicInteger fresh = new AtomicInteger();
            AtomicInteger raced = attribute.setIfAbsent(fresh);
            strikes = raced == null ? fresh : raced;
        }
        if (strikes.incrementAndGet() < max) {
            return false;
        }
        refused[Refusal.CREDENTIALS.ordinal()].increment();
        channel.close();
        return true;
    }

    private void release(Object peer) {
        perPeer.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    private boolean refuse(Channel channel, Refusal why) {
        refused[why.ordinal()].increment();
        if (channel.isRegistered()) {
            channel.close();
        } else {
            channel.unsafe().closeForcibly(); // not on a worker yet: close it here and now
        }
        return false;
    }

    /** The peer's IP address; one shared key for transports without one (a map needs a key). */
    private static Object peerOf(SocketAddress address) {
        if (address instanceof InetSocketAddress a && a.getAddress() != null) {
            return a.getAddress();
        }
        return "no address";
    }

    /** The listener's name. */
    public String listener() {
        return listener;
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }

    /** Connections refused so far for {@code why}. */
    public long refused(Refusal why) {
        return refused[why.ordinal()].sum();
    }

    /** The most connections this listener holds at once. */
    public int maxTotal() {
        return maxTotal;
    }
}
