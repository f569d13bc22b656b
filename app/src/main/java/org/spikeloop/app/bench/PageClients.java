package org.spikeloop.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.spikeloop.server.os.ThreadNice;

/**
 * {@code bench e2e --page-clients N}: N status-page clients, each a Server-Sent Events reader of
 * one session's live feed ({@code GET /api/stream?session=ID}, sessions taken in turn) over
 * HTTP/1.1 on loopback, as N browser tabs would hold open. Each reads on a daemon thread of its own
 * at the lowest Java priority and at {@code nice} (Linux), so the clients' own CPU competes with
 * the server as little as a niced browser would; what is measured is what serving them costs the
 * decoders.
 *
 * <p>Threading: one reader thread per client; the counts are read from any thread.
 */
final class PageClients implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();

    /**
     * Connects the clients and starts reading.
     *
     * @param port the server's HTTP port
     * @param sessionIds the sessions; client i reads session {@code i % size}
     * @param nice the readers' niceness (0 = as this process)
     */
    PageClients(int port, List<String> sessionIds, int count, int nice) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket k = new Socket(InetAddress.getLoopbackAddress(), port);
            sockets.add(k);
            OutputStream out = k.getOutputStream();
            out.write(
                    ("GET /api/stream?session="
                                    + sessionIds.get(i % sessionIds.size())
                                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread t = new Thread(() -> read(k, nice), "bench-page-client-" + i);
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            readers.add(t);
            t.start();
        }
    }

    private void read(Socket k, int nice) {
        if (nice > 0) {
            ThreadNice.setCurrentThreadNice(nice);
        }
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(k.getInputStream(), StandardCharsets.UTF_8))) {
            String status = in.readLine();
            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                return; // refused (e.g. over http.maxEventStreams): counted as not connected
            }
            open.incrementAndGet();
            String line;
            while ((line = in.readLine()) != null) {
                bytes.addAndGet(line.length() + 1);
                if (line.equals("event: frame")) {
                    frames.incrementAndGet();
                }
            }
        } catch (IOException closed) {
            // closed by close() at the end of the run, or by the server when it stops
        } finally {
            open.decrementAndGet();
        }
    }

    /** Frame events received so far, all clients together. */
    long frames() {
        return frames.get();
    }

    /** Bytes of the feeds received so far (approximately: lines and their ends). */
    long bytes() {
        return bytes.get();
    }

    /** Clients whose feed is open now. */
    int connected() {
        return Math.max(0, open.get());
    }

    @Override
    public void close() throws InterruptedException {
        for (Socket k : sockets) {
            try {
                k.close();
            } catch (IOException e) {
                // already closed by the server: nothing left to release
            }
        }
        for (Thread t : readers) {
            t.join(2_000);
        }
    }
}
