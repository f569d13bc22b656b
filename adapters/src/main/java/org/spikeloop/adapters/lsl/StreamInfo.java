package org.spikeloop.adapters.lsl;

import com.sun.jna.Pointer;
import java.io.ByteArrayInputStream;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Immutable description of an LSL stream: the core header fields, channel labels from {@code
 * desc/channels/channel/label}, and (for resolved streams) the identity fields and the XML liblsl
 * produced. Built by {@link #builder}, {@link #fromXml} or from a native handle; converted to a
 * native handle only to create outlets and inlets. Thread-safe (immutable).
 */
public final class StreamInfo {
    private final String name;
    private final String type;
    private final int channelCount;
    private final double nominalSrateHz;
    private final ChannelFormat format;
    private final String sourceId;
    private final List<String> channelLabels;
    private final String channelUnit;
    private final String channelType;
    private final String uid;
    private final String hostname;
    private final String xml;
    private final Pointer resolvedHandle;

    /** Destroys native infos owned by resolved {@code StreamInfo}s once they are unreachable. */
    private static final Cleaner CLEANER = Cleaner.create();

    private StreamInfo(Builder b, String uid, String hostname, String xml) {
        this(b, uid, hostname, xml, null);
    }

    private StreamInfo(Builder b, String uid, String hostname, String xml, Pointer resolvedHandle) {
        if (b.name == null || b.name.isEmpty()) {
            throw new IllegalArgumentException("name: must be non-empty");
        }
        if (b.channelCount < 1) {
            throw new IllegalArgumentException(
                    "channel_count: must be >= 1, got " + b.channelCount + " for '" + b.name + "'");
        }
        if (!(b.nominalSrateHz >= 0) || Double.isInfinite(b.nominalSrateHz)) {
            throw new IllegalArgumentException(
                    "nominal_srate: must be finite and >= 0 (0 = irregular), got "
                            + b.nominalSrateHz);
        }
        if (!b.channelLabels.isEmpty() && b.channelLabels.size() != b.channelCount) {
            throw new IllegalArgumentException(
                    "channel labels: "
                            + b.channelLabels.size()
                            + " labels for channel_count "
                            + b.channelCount);
        }
        this.name = b.name;
        this.type = b.type;
        this.channelCount = b.channelCount;
        this.nominalSrateHz = b.nominalSrateHz;
        this.format = Objects.requireNonNull(b.format, "channel_format");
        this.sourceId = b.sourceId;
        this.channelLabels = List.copyOf(b.channelLabels);
        this.channelUnit = b.channelUnit;
        this.channelType = b.channelType;
        this.uid = uid;
        this.hostname = hostname;
        this.xml = xml;
        this.resolvedHandle = resolvedHandle;
        if (resolvedHandle != null) {
            CLEANER.register(this, () -> LslNative.lsl_destroy_streaminfo(resolvedHandle));
        }
    }

    public static Builder builder(
            String name, String type, int channelCount, ChannelFormat format) {
        return new Builder(name, type, channelCount, format);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public int channelCount() {
        return channelCount;
    }

    /** Nominal sampling rate in Hz; 0 means irregular (events, markers). */
    public double nominalSrateHz() {
        return nominalSrateHz;
    }

    public boolean isRegular() {
        return nominalSrateHz > 0;
    }

    public ChannelFormat format() {
        return format;
    }

    /** The source identifier ("" when none): lets inlets recover a restarted outlet. */
    public String sourceId() {
        return sourceId;
    }

    /** Channel labels from the description, or an empty list when the stream gives none. */
    public List<String> channelLabels() {
        return channelLabels;
    }

    /** The stream's unique id ("" unless resolved from the network). */
    public String uid() {
        return uid;
    }

    public String hostname() {
        return hostname;
    }

    /** The XML liblsl gave for this stream, or null for an info built locally. */
    public String xml() {
        return xml;
    }

    /**
     * An LSL-style {@code <info>} document for this stream: liblsl's XML when known, else one built
     * from the fields (used for XDF stream headers of locally produced streams).
     */
    public String toXml() {
        if (xml != null) {
            return xml;
        }
        StringBuilder sb = new StringBuilder(256 + 48 * channelLabels.size());
        sb.append("<?xml version=\"1.0\"?>\n<info>\n");
        tag(sb, "name", name);
        tag(sb, "type", type);
        tag(sb, "channel_count", Integer.toString(channelCount));
        tag(sb, "nominal_srate", formatRate(nominalSrateHz));
        tag(sb, "channel_format", format.xmlName());
        tag(sb, "source_id", sourceId);
        tag(sb, "version", "1.1000000000000001");
        tag(sb, "created_at", "0");
        tag(sb, "uid", uid);
        tag(sb, "session_id", "default");
        tag(sb, "hostname", hostname);
        if (channelLabels.isEmpty() && channelUnit.isEmpty() && channelType.isEmpty()) {
            sb.append("\t<desc />\n");
        } else {
            sb.append("\t<desc>\n\t\t<channels>\n");
            for (int c = 0; c < channelCount; c++) {
                sb.append("\t\t\t<channel>\n");
                if (!channelLabels.isEmpty()) {
                    sb.append("\t\t\t\t<label>")
                            .append(escape(channelLabels.get(c)))
                            .append("</label>\n");
                }
                if (!channelUnit.isEmpty()) {
                    sb.append("\t\t\t\t<unit>").append(escape(channelUnit)).append("</unit>\n");
                }
                if (!channelType.isEmpty()) {
                    sb.append("\t\t\t\t<type>").append(escape(channelType)).append("</type>\n");
                }
                sb.append("\t\t\t</channel>\n");
            }
            sb.append("\t\t</channels>\n\t</desc>\n");
        }
        sb.append("</info>\n");
        return sb.toString();
    }

    private static String formatRate(double hz) {
        return hz == Math.rint(hz) ? Long.toString((long) hz) : Double.toString(hz);
    }

    private static void tag(StringBuilder sb, String tag, String value) {
        if (value == null || value.isEmpty()) {
            sb.append('\t').append('<').append(tag).append(" />\n");
        } else {
            sb.append('\t').append('<').append(tag).append('>');
            sb.append(escape(value)).append("</").append(tag).append(">\n");
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Parses an LSL {@code <info>} document (as liblsl, LabRecorder and XDF stream headers write
     * it). Missing optional fields become ""; a missing or malformed core field is an error naming
     * it.
     */
    public static StreamInfo fromXml(String xml) {
        return fromXml(xml, null);
    }

    private static StreamInfo fromXml(String xml, Pointer resolvedHandle) {
        Element info = parse(xml);
        String name = text(info, "name");
        int channels;
        double rate;
        try {
            channels = Integer.parseInt(text(info, "channel_count").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "channel_count: not an integer: '" + text(info, "channel_count") + "'", e);
        }
        try {
            rate = Double.parseDouble(text(info, "nominal_srate").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "nominal_srate: not a number: '" + text(info, "nominal_srate") + "'", e);
        }
        Builder b =
                builder(
                                name,
                                text(info, "type"),
                                channels,
                                ChannelFormat.fromXmlName(text(info, "channel_format").trim()))
                        .nominalSrateHz(rate)
                        .sourceId(text(info, "source_id"));
        List<String> labels = labels(info);
        if (labels.size() == channels) {
            b.channelLabels(labels);
        }
        return new StreamInfo(b, text(info, "uid"), text(info, "hostname"), xml, resolvedHandle);
    }

    /** One secure, quiet parser per thread (building a factory per document is slow). */
    private static final ThreadLocal<javax.xml.parsers.DocumentBuilder> PARSER =
            ThreadLocal.withInitial(
                    () -> {
                        try {
                            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                            f.setFeature(
                                    "http://apache.org/xml/features/disallow-doctype-decl", true);
                            f.setExpandEntityReferences(false);
                            return quiet(f.newDocumentBuilder());
                        } catch (Exception e) {
                            throw new IllegalStateException("no XML parser available", e);
                        }
                    });

    private static Element parse(String xml) {
        try {
            javax.xml.parsers.DocumentBuilder b = PARSER.get();
            b.reset();
            b.setErrorHandler(null);
            Document doc = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            Element root = doc.getDocumentElement();
            if (!"info".equals(root.getTagName())) {
                throw new IllegalArgumentException(
                        "stream XML: root element is <" + root.getTagName() + ">, expected <info>");
            }
            return root;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("stream XML: not well-formed: " + e.getMessage(), e);
        }
    }

    private static javax.xml.parsers.DocumentBuilder quiet(javax.xml.parsers.DocumentBuilder b) {
        // errors surface as exceptions; the default handler would also print them to stderr
        b.setErrorHandler(null);
        return b;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent();
    }

    private static List<String> labels(Element info) {
        Element desc = child(info, "desc");
        Element channels = desc == null ? null : child(desc, "channels");
        List<String> labels = new ArrayList<>();
        if (channels == null) {
            return labels;
        }
        NodeList list = channels.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element ch && ch.getTagName().equals("channel")) {
                labels.add(text(ch, "label"));
            }
        }
        return labels;
    }

    /** Reads a native {@code lsl_streaminfo} (does not take ownership). */
    static StreamInfo fromNative(Pointer handle) {
        return fromXml(xmlOf(handle), null);
    }

    /**
     * Reads a resolver result and takes ownership of the handle: an inlet needs the resolver's
     * native info (it carries the address the stream answered from, which its XML does not).
     */
    static StreamInfo adoptResolved(Pointer handle) {
        String xml = null;
        try {
            xml = xmlOf(handle);
            return fromXml(xml, handle);
        } catch (IllegalArgumentException e) {
            // A header liblsl publishes and this class refuses (channel_count 0, channel_format
            // undefined): say which stream it is, from its XML (liblsl's getters may answer
            // "(invalid: ...)" for such a stream).
            LslNative.lsl_destroy_streaminfo(handle);
            throw new IllegalArgumentException(identify(xml) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            LslNative.lsl_destroy_streaminfo(handle);
            throw e;
        }
    }

    /**
     * {@code stream 'name' (uid U, source_id 'S', address A)} from a stream's XML, as far as it can
     * be read: an outlet made with channel_format undefined answers resolvers with an empty header
     * (no name, uid or source id, channel_count 0), and then only the address says where it is.
     */
    private static String identify(String xml) {
        if (xml == null) {
            return "stream (no XML)";
        }
        try {
            Element info = parse(xml);
            return "stream '"
                    + text(info, "name")
                    + "' (uid "
                    + text(info, "uid")
                    + ", source_id '"
                    + text(info, "source_id")
                    + "', address "
                    + (text(info, "v4address").isEmpty()
                            ? text(info, "v6address")
                            : text(info, "v4address"))
                    + ")";
        } catch (IllegalArgumentException e) {
            return "stream (unreadable XML)";
        }
    }

    private static String xmlOf(Pointer handle) {
        Pointer xmlPtr = LslNative.lsl_get_xml(handle);
        try {
            return xmlPtr.getString(0, "UTF-8");
        } finally {
            LslNative.lsl_destroy_string(xmlPtr);
        }
    }

    /**
     * A new native {@code lsl_streaminfo}; the caller destroys it. A resolved stream is a copy of
     * the resolver's native info; one read from XML is rebuilt from it; a local one from fields.
     */
    Pointer toNative() {
        Lsl.load();
        if (resolvedHandle != null) {
            Pointer p = LslNative.lsl_copy_streaminfo(resolvedHandle);
            Reference.reachabilityFence(this);
            return p;
        }
        if (xml != null) {
            Pointer p = LslNative.lsl_streaminfo_from_xml(xml);
            if (p == null) {
                throw new IllegalStateException("liblsl rejected the stream XML of '" + name + "'");
            }
            return p;
        }
        Pointer p =
                LslNative.lsl_create_streaminfo(
                        name, type, channelCount, nominalSrateHz, format.code(), sourceId);
        if (p == null) {
            throw new IllegalStateException("lsl_create_streaminfo failed for '" + name + "'");
        }
        if (!channelLabels.isEmpty() || !channelUnit.isEmpty() || !channelType.isEmpty()) {
            Pointer channels = LslNative.lsl_append_child(LslNative.lsl_get_desc(p), "channels");
            for (int c = 0; c < channelCount; c++) {
                Pointer ch = LslNative.lsl_append_child(channels, "channel");
                if (!channelLabels.isEmpty()) {
                    LslNative.lsl_append_child_value(ch, "label", channelLabels.get(c));
                }
                if (!channelUnit.isEmpty()) {
                    LslNative.lsl_append_child_value(ch, "unit", channelUnit);
                }
                if (!channelType.isEmpty()) {
                    LslNative.lsl_append_child_value(ch, "type", channelType);
                }
            }
        }
        return p;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "StreamInfo[name=%s, type=%s, channels=%d, srate=%s Hz, format=%s, source_id=%s]",
                name,
                type,
                channelCount,
                nominalSrateHz,
                format.xmlName(),
                sourceId);
    }

    /** Builder for locally described streams (outlets, recordings). */
    public static final class Builder {
        private final String name;
        private final String type;
        private final int channelCount;
        private final ChannelFormat format;
        private double nominalSrateHz;
        private String sourceId = "";
        private List<String> channelLabels = List.of();
        private String channelUnit = "";
        private String channelType = "";

        private Builder(String name, String type, int channelCount, ChannelFormat format) {
            this.name = name;
            this.type = type == null ? "" : type;
            this.channelCount = channelCount;
            this.format = format;
        }

        /** Nominal rate in Hz; 0 (the default) means irregular. */
        public Builder nominalSrateHz(double hz) {
            this.nominalSrateHz = hz;
            return this;
        }

        public Builder sourceId(String id) {
            this.sourceId = id == null ? "" : id;
            return this;
        }

        public Builder channelLabels(List<String> labels) {
            this.channelLabels = List.copyOf(labels);
            return this;
        }

        /**
         * The unit of every channel ({@code desc/channels/channel/unit}, XDF's meta-data
         * convention: e.g. {@code microvolts}); "" (the default) writes none.
         */
        public Builder channelUnit(String unit) {
            this.channelUnit = unit == null ? "" : unit;
            return this;
        }

        /**
         * The type of every channel ({@code desc/channels/channel/type}: e.g. {@code EEG}); "" (the
         * default) writes none.
         */
        public Builder channelType(String type) {
            this.channelType = type == null ? "" : type;
            return this;
        }

        public StreamInfo build() {
            return new StreamInfo(this, "", "", null);
        }
    }
}
