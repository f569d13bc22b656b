package org.spikeloop.adapters.eegfile;

import java.util.List;
import java.util.UUID;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * The two stream headers of an imported recording, as LabRecorder writes them (liblsl's {@code
 * <info>} fields in liblsl's order): the signal stream (type {@code EEG}, float32, the file's rate,
 * {@code <desc><channels><channel>} with label, unit and type per channel) and the marker stream
 * (type {@code Markers}, one string channel, irregular rate). {@code created_at} is 0: the stamps'
 * clock starts at the file's first sample, and the stream existed from then. {@code source_id} is
 * derived from the file's SHA-256, so importing the same file twice gives the same source; {@code
 * uid} is new for each import. Both headers carry {@code <desc><imported_from>} (file, format,
 * checksum, reader, measurement date, the reader's notes). Pure functions.
 */
public final class EegStreamHeaders {
    private EegStreamHeaders() {}

    /** The signal stream's header for {@code rec}, named {@code name}. */
    public static StreamInfo signal(EegRecording rec, String name) {
        StringBuilder desc = new StringBuilder(256 + 96 * rec.channels().size());
        desc.append("\t\t<channels>\n");
        for (EegChannel c : rec.channels()) {
            desc.append("\t\t\t<channel>\n");
            tag(desc, "\t\t\t\t", "label", c.label());
            tag(desc, "\t\t\t\t", "unit", c.unit());
            tag(desc, "\t\t\t\t", "type", c.type());
            desc.append("\t\t\t</channel>\n");
        }
        desc.append("\t\t</channels>\n");
        provenance(desc, rec);
        String rate =
                rec.rateHz() == Math.rint(rec.rateHz())
                        ? Long.toString((long) rec.rateHz())
                        : Double.toString(rec.rateHz());
        return StreamInfo.fromXml(
                info(
                        name,
                        "EEG",
                        rec.channels().size(),
                        "float32",
                        sourceId(rec),
                        rate,
                        rec.hostname(),
                        desc));
    }

    /** The marker stream's header for {@code rec}, named {@code name}. */
    public static StreamInfo markers(EegRecording rec, String name) {
        StringBuilder desc = new StringBuilder(256);
        provenance(desc, rec);
        return StreamInfo.fromXml(
                info(
                        name,
                        "Markers",
                        1,
                        "string",
                        sourceId(rec) + ":markers",
                        "0",
                        rec.hostname(),
                        desc));
    }

    static String sourceId(EegRecording rec) {
        String sha = rec.sha256();
        return "spikeloop-import:" + (sha.length() > 16 ? sha.substring(0, 16) : sha);
    }

    private static void provenance(StringBuilder desc, EegRecording rec) {
        desc.append("\t\t<imported_from>\n");
        tag(desc, "\t\t\t", "file", rec.fileName());
        tag(desc, "\t\t\t", "format", rec.format());
        tag(desc, "\t\t\t", "sha256", rec.sha256());
        tag(desc, "\t\t\t", "reader", rec.reader());
        tag(desc, "\t\t\t", "meas_date", rec.measDate() == null ? "" : rec.measDate());
        List<String> notes = rec.notes();
        if (notes.isEmpty()) {
            desc.append("\t\t\t<notes />\n");
        } else {
            desc.append("\t\t\t<notes>\n");
            for (String n : notes) {
                tag(desc, "\t\t\t\t", "note", n);
            }
            desc.append("\t\t\t</notes>\n");
        }
        desc.append("\t\t</imported_from>\n");
    }

    private static String info(
            String name,
            String type,
            int channels,
            String format,
            String sourceId,
            String rate,
            String hostname,
            CharSequence desc) {
        StringBuilder sb = new StringBuilder(1024 + desc.length());
        sb.append("<?xml version=\"1.0\"?>\n<info>\n");
        tag(sb, "\t", "name", name);
        tag(sb, "\t", "type", type);
        tag(sb, "\t", "channel_count", Integer.toString(channels));
        tag(sb, "\t", "channel_format", format);
        tag(sb, "\t", "source_id", sourceId);
        tag(sb, "\t", "nominal_srate", rate);
        tag(sb, "\t", "version", "1.1000000000000001");
        tag(sb, "\t", "created_at", "0");
        tag(sb, "\t", "uid", UUID.randomUUID().toString());
        tag(sb, "\t", "session_id", "default");
        tag(sb, "\t", "hostname", hostname);
        // No network endpoint served these streams: liblsl's address fields stay empty.
        tag(sb, "\t", "v4address", "");
        tag(sb, "\t", "v4data_port", "0");
        tag(sb, "\t", "v4service_port", "0");
        tag(sb, "\t", "v6address", "");
        tag(sb, "\t", "v6data_port", "0");
        tag(sb, "\t", "v6service_port", "0");
        sb.append("\t<desc>\n").append(desc).append("\t</desc>\n</info>\n");
        return sb.toString();
    }

    private static void tag(StringBuilder sb, String indent, String tag, String value) {
        sb.append(indent);
        if (value.isEmpty()) {
            sb.append('<').append(tag).append(" />\n");
        } else {
            sb.append('<').append(tag).append('>').append(escape(value));
            sb.append("</").append(tag).append(">\n");
        }
    }

    /** XML text: markup characters escaped, characters XML 1.0 cannot hold replaced by U+FFFD. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default ->
                        sb.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
