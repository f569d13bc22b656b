package org.spikeloop.adapters.xdf;

import java.util.Arrays;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * One stream of an XDF file as read: header XML and parsed info, footer XML (null if the file has
 * none), raw time stamps in the sender's clock (seconds), values in the stream's format, and the
 * ClockOffset pairs. Mutable only while the reader (and optional clock synchronisation) fills it.
 */
public final class XdfStream {
    private final int id;
    private final String headerXml;
    private final StreamInfo info;
    private final XdfSamples samples;
    private String footerXml;
    private double[] stamps = new double[64];
    private int stampCount;
    private double[] clockTimes = new double[8];
    private double[] clockValues = new double[8];
    private int clockCount;

    /** pyxdf's running "last time stamp" used for deduced (omitted) stamps; starts at 0. */
    double lastStampS;

    XdfStream(int id, String headerXml, StreamInfo info) {
        this.id = id;
        this.headerXml = headerXml;
        this.info = info;
        this.samples = new XdfSamples(info.format(), info.channelCount());
    }

    public int id() {
        return id;
    }

    public String headerXml() {
        return headerXml;
    }

    public StreamInfo info() {
        return info;
    }

    /** The footer XML, or null if the file ends before it. */
    public String footerXml() {
        return footerXml;
    }

    void footerXml(String xml) {
        this.footerXml = xml;
    }

    public XdfSamples samples() {
        return samples;
    }

    public int sampleCount() {
        return stampCount;
    }

    /** A copy of the time stamps (seconds). */
    public double[] timestamps() {
        return Arrays.copyOf(stamps, stampCount);
    }

    /** Live view of the stamps array; valid up to {@link #sampleCount()}. */
    double[] stampsArray() {
        return stamps;
    }

    void setStamps(double[] replaced) {
        this.stamps = replaced;
        this.stampCount = replaced.length;
    }

    double[] reserveStamps(int more) {
        if (stampCount + more > stamps.length) {
            stamps = Arrays.copyOf(stamps, Math.max(stampCount + more, stamps.length * 2));
        }
        return stamps;
    }

    void advanceStamps(int n) {
        stampCount += n;
    }

    void truncateSamples(int n) {
        stampCount = Math.min(stampCount, n);
        samples.truncateSamples(n);
    }

    void addClockOffset(double time, double value) {
        if (clockCount == clockTimes.length) {
            clockTimes = Arrays.copyOf(clockTimes, clockCount * 2);
            clockValues = Arrays.copyOf(clockValues, clockCount * 2);
        }
        clockTimes[clockCount] = time;
        clockValues[clockCount] = value;
        clockCount++;
    }

    void dropLastClockOffset() {
        clockCount--;
    }

    /** Collection times of the ClockOffset chunks (sender clock, s). */
    public double[] clockTimes() {
        return Arrays.copyOf(clockTimes, clockCount);
    }

    /** Offsets of the ClockOffset chunks (s, to add to sender stamps). */
    public double[] clockValues() {
        return Arrays.copyOf(clockValues, clockCount);
    }
}
