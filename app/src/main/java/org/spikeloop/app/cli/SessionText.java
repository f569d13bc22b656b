package org.spikeloop.app.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.math.BigDecimal;
import java.util.Locale;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.TrialDecision;

/**
 * The {@code session} commands' output: one line per session or frame for people and {@code
 * grep}/{@code awk}, or (with {@code --json}) the API's messages in protobuf's JSON mapping.
 */
final class SessionText {
    private static final JsonFormat.Printer JSON =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

    private SessionText() {}

    /**
     * {@code <id> <STATE> steps N watchers N <source> <decoder> "<name>"[ reason: ...]}: the id
     * first, so {@code awk '{print $1}'} gives it.
     */
    static String line(Session s) {
        SessionSpec spec = s.getSpec();
        StringBuilder b =
                new StringBuilder()
                        .append(s.getId())
                        .append("  ")
                        .append(s.getState().name().replaceFirst("^SESSION_STATE_", ""))
                        .append("  steps ")
                        .append(Long.toUnsignedString(s.getSteps()))
                        .append("  watchers ")
                        .append(s.getWatchers())
                        .append("  ")
                        .append(source(spec))
                        .append("  ")
                        .append(decoder(spec.getDecoder()));
        if (spec.hasLslLabels()) {
            b.append("  labels LSL '").append(spec.getLslLabels().getName()).append('\'');
        }
        b.append("  learning ").append(spec.getLearning().getEnabled() ? "on" : "off");
        b.append("  \"").append(spec.getName()).append('"');
        if (!s.getReason().isEmpty()) {
            b.append("  reason: ").append(s.getReason().replace('\n', ' '));
        }
        return b.toString();
    }

    private static String source(SessionSpec spec) {
        String rate =
                spec.getChannelCount()
                        + " ch @ "
                        + BigDecimal.valueOf(spec.getSampleRateHz())
                                .stripTrailingZeros()
                                .toPlainString()
                        + " Hz";
        return spec.getSource().getKind() == SourceKind.SOURCE_LSL
                ? "LSL '" + spec.getSource().getLslStreamName() + "' " + rate
                : "gRPC " + rate;
    }

    private static String decoder(DecoderSpec d) {
        return switch (d.getSourceCase()) {
            case REGISTRY_ID -> "decoder registry " + d.getRegistryId();
            case CHECKPOINT -> "decoder file " + d.getCheckpoint();
            case ARCHITECTURE ->
                    "decoder fresh "
                            + d.getArchitecture().getHidden()
                            + " hidden -> "
                            + d.getArchitecture().getOutputs();
            case SOURCE_NOT_SET -> "decoder ?";
        };
    }

    /**
     * {@code step N outputs a b [label a b ]latency X us[ dropped N][ deadline missed]}: the
     * latency is the frame's decode time minus the source time stamp of the sample it decoded (both
     * on the server host's clock), in microseconds.
     */
    static String frame(DecodedFrame f) {
        StringBuilder b = new StringBuilder("step ").append(Long.toUnsignedString(f.getStep()));
        b.append("  outputs");
        for (int k = 0; k < f.getOutputsCount(); k++) {
            b.append(String.format(Locale.ROOT, " %.5f", f.getOutputs(k)));
        }
        if (f.getHasLabel()) {
            b.append("  label");
            for (int k = 0; k < f.getLabelCount(); k++) {
                b.append(String.format(Locale.ROOT, " %.5f", f.getLabel(k)));
            }
        }
        b.append(
                String.format(
                        Locale.ROOT,
                        "  latency %.0f us",
                        (f.getDecodeTime() - f.getSourceTimestamp()) * 1e6));
        if (f.getFramesDropped() > 0) {
            b.append("  dropped ").append(Long.toUnsignedString(f.getFramesDropped()));
        }
        if (f.getDeadlineMissed()) {
            b.append("  deadline missed");
        }
        return b.toString();
    }

    /**
     * {@code trial N cue C (class) decided D p a b frames F[ learned][ dropped N]}: the decision at
     * the end of trial window N (from 0), the cue that opened it with its class, the class
     * probabilities in class order, the decoder steps averaged, and whether the session learned
     * from the window's label.
     */
    static String decision(TrialDecision d) {
        StringBuilder b = new StringBuilder("trial ").append(Long.toUnsignedString(d.getTrial()));
        b.append("  cue ").append(d.getCue()).append(" (").append(d.getCueClassName()).append(')');
        b.append("  decided ").append(d.getDecisionName());
        b.append("  p");
        for (int k = 0; k < d.getProbabilitiesCount(); k++) {
            b.append(String.format(Locale.ROOT, " %.3f", d.getProbabilities(k)));
        }
        b.append("  frames ").append(d.getFrames());
        if (d.getLearned()) {
            b.append("  learned");
        }
        if (d.getDecisionsDropped() > 0) {
            b.append("  dropped ").append(Long.toUnsignedString(d.getDecisionsDropped()));
        }
        return b.toString();
    }

    /** The message in protobuf's JSON mapping, on one line, with the .proto's field names. */
    static String json(MessageOrBuilder m) {
        try {
            return JSON.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + m.getClass().getSimpleName(), e);
        }
    }
}
