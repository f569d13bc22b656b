package org.spikeloop.app.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.spikeloop.server.os.ThreadNice;

/**
 * {@code bench e2e --scrape-interval-s S}: a Prometheus stand-in that fetches {@code GET /metrics}
 * every S seconds over HTTP/1.1 on loopback, one connection per scrape, from a daemon thread at
 * {@code nice} (Linux), as a niced Prometheus on the same machine would. What is measured is what
 * serving the scrapes costs the decoders, and how long each scrape takes.
 *
 * <p>Threading: one scraper thread; the results are read from any thread, during the run or after
 * {@link #close}.
 */
final class MetricsScraper implements AutoCloseable {
    private final int port;
    private final long intervalMs;
    private final int nice;
    private final Thread thread;
    private final List<Long> durationsNs = Collections.synchronizedList(new ArrayList<>());
    private volatile long lastBodyBytes;
    private volatile String failure;
    private volatile boolean stop;

    /**
     * Starts scraping at once.
     *
     * @param port the server's HTTP (metrics) port
     * @param intervalS seconds between the starts of two scrapes
     * @param nice the scraper's niceness (0 = as this process)
     */
    MetricsScraper(int port, double intervalS, int nice) {
        this.port = port;
        this.intervalMs = Math.max(1, Math.round(intervalS * 1000));
        this.nice = nice;
        thread = new Thread(this::loop, "bench-metrics-scraper");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private void loop() {
        if (nice > 0) {
            ThreadNice.setCurrentThreadNice(nice);
        }
        long next = System.nanoTime();
        while (!stop) {
            long start = System.nanoTime();
            try {
                lastBodyBytes = scrapeOnce();
                durationsNs.add(System.nanoTime() - start);
            } catch (IOException e) {
                failure = e.toString(); // reported in the run's JSON; the run goes on
            }
            next += intervalMs * 1_000_000L;
            long sleepMs = (next - System.nanoTime()) / 1_000_000L;
            if (sleepMs > 0) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    return; // close()
                }
            }
        }
    }

    /** One scrape; returns the bytes of the response body. */
    private long scrapeOnce() throws IOException {
        try (Socket k = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = k.getOutputStream();
            out.write(
                    "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = k.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int headerEnd = -1;
            StringBuilder head = new StringBuilder();
            for (int n; (n = in.read(buf)) > 0; ) {
                if (headerEnd < 0) {
                    head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    int at = head.indexOf("\r\n\r\n");
                    if (at >= 0) {
                        headerEnd = at + 4;
                        if (!head.toString().startsWith("HTTP/1.1 200")) {
                            throw new IOException(
                                    "GET /metrics: "
                                            + head.substring(0, Math.max(0, head.indexOf("\r\n"))));
                        }
                        total = head.length() - headerEnd;
                    }
                } else {
                    total += n;
                }
            }
            return total;
        }
    }

    /** Completed scrapes' durations (request sent to the last byte read), in order. */
    List<Long> durationsNs() {
        synchronized (durationsNs) {
            return List.copyOf(durationsNs);
        }
    }

    long lastBodyBytes() {
        return lastBodyBytes;
    }

    /** The last scrape's failure, or null. */
    String failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
