package org.spikeloop.server.recording;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The XDF stream header of one recorded stream, as complete as LabRecorder's: either a copy of a
 * source's full LSL header ({@link #copyOf}: name, type, channel count and rate, source id, uid,
 * hostname, created_at and the whole {@code <desc>}, as the source's outlet declared them), or the
 * header of a stream the server produces itself ({@link #local}: this host's name, the LSL clock at
 * creation, a fresh uid). Either way the recording's own facts go into one element of {@code
 * <desc>}, {@code <spikeloop><session_id/><role/></spikeloop>}, so a reader finds a session's
 * samples, labels and outputs by role whatever the source called its stream ({@link #roleOf}).
 *
 * <p>Any stream added to a session recording (its samples, labels and outputs, and streams other
 * code adds later) takes its header from here. A mutable builder; control plane only (parses and
 * writes XML).
 */
public final class StreamHeader {
    /** The element of {@code <desc>} that holds the session's facts. */
    public static final String SPIKELOOP = "spikeloop";

    private static final String HOSTNAME = hostname();

    private final Document doc;
    private final Element info;

    private StreamHeader(String xml) {
        this.doc = parse(xml);
        this.info = doc.getDocumentElement();
    }

    /**
     * The header of a stream the server produces: {@code <hostname>} this host, {@code
     * <created_at>} now on the LSL clock, a new {@code <uid>}.
     *
     * @param rateHz nominal rate, 0 for an irregular stream
     */
    public static StreamHeader local(
            String name, String type, int channels, double rateHz, String sourceId) {
        return local(name, type, channels, ChannelFormat.FLOAT32, rateHz, sourceId);
    }

    /** As {@link #local(String, String, int, double, String)}, in {@code format}. */
    public static StreamHeader local(
            String name,
            String type,
            int channels,
            ChannelFormat format,
            double rateHz,
            String sourceId) {
        StreamHeader h =
                new StreamHeader(
                        StreamInfo.builder(name, type, channels, format)
                                .nominalSrateHz(rateHz)
                                .sourceId(sourceId)
                                .build()
                                .toXml());
        h.set("hostname", HOSTNAME);
        // System.nanoTime() reads CLOCK_MONOTONIC on Linux, the clock of liblsl's local_clock().
        h.set("created_at", String.format(Locale.ROOT, "%.9f", System.nanoTime() * 1e-9));
        h.set("uid", UUID.randomUUID().toString());
        return h;
    }

    /**
     * A copy of a source's header (pass the inlet's full info, which holds the {@code <desc>}),
     * recorded as float32: the session stores every row as float32, so {@code <channel_format>}
     * says so whatever the source sent.
     */
    public static StreamHeader copyOf(StreamInfo source) {
        StreamHeader h = new StreamHeader(source.toXml());
        h.set("channel_format", ChannelFormat.FLOAT32.xmlName());
        return h;
    }

    /**
     * A copy of a source's header as it is, format included: for a stream recorded in the format it
     * arrived in (a marker stream's strings or numbers).
     */
    public static StreamHeader asIs(StreamInfo source) {
        return new StreamHeader(source.toXml());
    }

    /** Adds {@code desc/classes} with one {@code <class>} per name, in class-index order. */
    public StreamHeader classes(List<String> names) {
        Element classes = append(desc(), "classes", null);
        for (String name : names) {
            append(classes, "class", name);
        }
        return this;
    }

    /**
     * Replaces {@code desc/channels} with one {@code <channel>} per label, each with its {@code
     * <label>}, and {@code <unit>} and {@code <type>} when non-empty.
     */
    public StreamHeader channels(List<String> labels, String unit, String type) {
        Element desc = desc();
        Element old = child(desc, "channels");
        if (old != null) {
            desc.removeChild(old);
        }
        Element channels = append(desc, "channels", null);
        for (String label : labels) {
            Element ch = append(channels, "channel", null);
            append(ch, "label", label);
            if (unit != null && !unit.isEmpty()) {
                append(ch, "unit", unit);
            }
            if (type != null && !type.isEmpty()) {
                append(ch, "type", type);
            }
        }
        return this;
    }

    /**
     * Records which session wrote the stream and its role there ({@link SessionRecording}'s roles:
     * samples, labels, outputs, markers, trials, decisions).
     */
    public StreamHeader session(String sessionId, String role) {
        Element s = child(desc(), SPIKELOOP);
        if (s == null) {
            s = append(desc(), SPIKELOOP, null);
        }
        append(s, "session_id", sessionId);
        append(s, "role", role);
        return this;
    }

    /** Adds {@code <desc><element>text</element></desc>} (nothing when text is empty). */
    public StreamHeader descText(String element, String text) {
        if (text != null && !text.isEmpty()) {
            append(desc(), element, text);
        }
        return this;
    }

    /** The stream info to add to an {@code XdfRecorder}: its XML is this header. */
    public StreamInfo info() {
        return StreamInfo.fromXml(xml());
    }

    /** The header as an LSL {@code <info>} document. */
    public String xml() {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (javax.xml.transform.TransformerException e) {
            throw new IllegalStateException("cannot write a stream header", e);
        }
    }

    /**
     * The role a session recording gave the stream whose header is {@code headerXml} ({@code
     * desc/spikeloop/role}), or "" when it has none (a stream another tool recorded).
     */
    public static String roleOf(String headerXml) {
        if (headerXml == null || !headerXml.contains("<" + SPIKELOOP + ">")) {
            return "";
        }
        Element root = parse(headerXml).getDocumentElement();
        Element desc = child(root, "desc");
        Element s = desc == null ? null : child(desc, SPIKELOOP);
        Element role = s == null ? null : child(s, "role");
        return role == null ? "" : role.getTextContent().trim();
    }

    private void set(String tag, String value) {
        Element e = child(info, tag);
        if (e == null) {
            e = append(info, tag, null);
        }
        e.setTextContent(value);
    }

    private Element desc() {
        Element d = child(info, "desc");
        return d != null ? d : append(info, "desc", null);
    }

    private Element append(Element parent, String tag, String text) {
        Element e = doc.createElement(tag);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            var b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException("stream header: not well-formed XML", e);
        }
    }

    /** This host's name as liblsl reports it (the kernel's), else the resolver's, else "". */
    private static String hostname() {
        try {
            String k = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!k.isEmpty()) {
                return k;
            }
        } catch (java.io.IOException | SecurityException e) {
            // not Linux: ask the resolver below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
