package org.spikeloop.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.FrameField;
import org.spikeloop.server.engine.Frame;

/**
 * The hand-written encoding of a frame is byte for byte what protobuf-java writes for the same
 * DecodedFrame (built as the Watch stream did before frames were pre-encoded), for every field
 * selection and the values that have special encodings: zeros (omitted), −0.0 (written), NaN and
 * infinities, the largest unsigned 64-bit values, frames with and without a label.
 */
class DecodedFrameEncoderTest {
    private static final List<List<FrameField>> SELECTIONS =
            List.of(
                    List.of(),
                    List.of(FrameField.FRAME_FIELD_OUTPUTS),
                    List.of(FrameField.FRAME_FIELD_LABEL),
                    List.of(FrameField.FRAME_FIELD_TIMES),
                    List.of(FrameField.FRAME_FIELD_SPIKE_COUNT),
                    List.of(FrameField.FRAME_FIELD_TIMES, FrameField.FRAME_FIELD_OUTPUTS),
                    List.of(FrameField.FRAME_FIELD_LABEL, FrameField.FRAME_FIELD_SPIKE_COUNT));

    /** The message as the Watch stream built it with protobuf's builder. */
    private static DecodedFrame reference(Frame f, long dropped, List<FrameField> fields) {
        boolean all = fields.isEmpty();
        DecodedFrame.Builder b =
                DecodedFrame.newBuilder()
                        .setStep(f.step)
                        .setFramesDropped(dropped)
                        .setSamplesSkipped(f.samplesSkipped);
        if (all || fields.contains(FrameField.FRAME_FIELD_OUTPUTS)) {
            for (float v : f.outputs) {
                b.addOutputs(v);
            }
        }
        if ((all || fields.contains(FrameField.FRAME_FIELD_LABEL)) && f.hasLabel) {
            b.setHasLabel(true);
            for (float v : f.label) {
                b.addLabel(v);
            }
        }
        if (all || fields.contains(FrameField.FRAME_FIELD_TIMES)) {
            b.setSourceTimestamp(f.sourceTimestampS)
                    .setArrivalTime(f.arrivalNs * 1e-9)
                    .setDecodeTime(f.decodeNs * 1e-9)
                    .setDeadlineMissed(f.deadlineMissed);
        }
        if (all || fields.contains(FrameField.FRAME_FIELD_SPIKE_COUNT)) {
            b.setSpikeCount(f.spikeCount);
        }
        return b.build();
    }

    private static final float[] SPECIAL_FLOATS = {
        0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 1.5f
    };
    private static final double[] SPECIAL_DOUBLES = {
        0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e-300, 12345.678
    };
    private static final long[] SPECIAL_LONGS = {0, 1, 127, 128, 300, Long.MAX_VALUE, -1};

    private static Frame randomFrame(SplittableRandom r, int outputs) {
        Frame f = new Frame(outputs);
        for (int o = 0; o < outputs; o++) {
            f.outputs[o] =
                    r.nextInt(4) == 0
                            ? SPECIAL_FLOATS[r.nextInt(SPECIAL_FLOATS.length)]
                            : (float) r.nextGaussian();
            f.label[o] = (float) r.nextGaussian();
        }
        f.hasLabel = r.nextBoolean();
        f.step =
                SPECIAL_LONGS[r.nextInt(SPECIAL_LONGS.length)]
                        + (r.nextBoolean() ? r.nextInt(1 << 20) : 0);
        f.sourceTimestampS =
                r.nextInt(3) == 0
                        ? SPECIAL_DOUBLES[r.nextInt(SPECIAL_DOUBLES.length)]
                        : 1e4 * r.nextDouble();
        f.arrivalNs = r.nextBoolean() ? 0 : r.nextLong(1L << 50);
        f.decodeNs = r.nextLong(1L << 50);
        f.spikeCount = r.nextInt(3) == 0 ? 0 : r.nextInt(100_000);
        f.deadlineMissed = r.nextBoolean();
        f.samplesSkipped = r.nextBoolean() ? 0 : SPECIAL_LONGS[r.nextInt(SPECIAL_LONGS.length)];
        return f;
    }

    @ParameterizedTest(name = "{0} outputs")
    @ValueSource(ints = {1, 2, 7, 96, 4096})
    void shouldWriteExactlyTheBytesProtobufWrites(int outputs) throws Exception {
        SplittableRandom r = new SplittableRandom(outputs);
        byte[] buf = new byte[DecodedFrameEncoder.maxBytes(outputs)];
        for (int i = 0; i < 300; i++) {
            Frame f = randomFrame(r, outputs);
            long dropped = r.nextBoolean() ? 0 : SPECIAL_LONGS[r.nextInt(SPECIAL_LONGS.length)];
            for (List<FrameField> fields : SELECTIONS) {
                byte[] expected = reference(f, dropped, fields).toByteArray();
                int n = DecodedFrameEncoder.encode(f, dropped, WatcherSink.mask(fields), buf);
                assertThat(java.util.Arrays.copyOf(buf, n))
                        .as("frame %d, fields %s", i, fields)
                        .containsExactly(expected);
                assertThat(DecodedFrame.parseFrom(java.util.Arrays.copyOf(buf, n)))
                        .isEqualTo(reference(f, dropped, fields));
            }
        }
    }

    @ParameterizedTest(name = "{0} outputs")
    @ValueSource(ints = {2, 96})
    void shouldFitTheLargestFrameInMaxBytes(int outputs) {
        Frame f = new Frame(outputs);
        java.util.Arrays.fill(f.outputs, Float.NaN);
        java.util.Arrays.fill(f.label, Float.NaN);
        f.hasLabel = true;
        f.step = -1; // the longest varint
        f.sourceTimestampS = Double.NaN;
        f.arrivalNs = Long.MAX_VALUE;
        f.decodeNs = Long.MAX_VALUE;
        f.spikeCount = -1; // uint32: 5 bytes
        f.deadlineMissed = true;
        f.samplesSkipped = -1;
        byte[] buf = new byte[DecodedFrameEncoder.maxBytes(outputs)];
        int n = DecodedFrameEncoder.encode(f, -1, DecodedFrameEncoder.ALL, buf);
        assertThat(n).isLessThanOrEqualTo(buf.length).isGreaterThan(8 * outputs);
    }

    @org.junit.jupiter.api.Test
    void shouldEncodeWithoutAllocating() {
        SplittableRandom r = new SplittableRandom(1);
        Frame[] frames = new Frame[16];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = randomFrame(r, 2);
        }
        byte[] buf = new byte[DecodedFrameEncoder.maxBytes(2)];
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (int i = 0; i < 200_000; i++) { // warm-up
            sum += DecodedFrameEncoder.encode(frames[i & 15], i, DecodedFrameEncoder.ALL, buf);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sum += DecodedFrameEncoder.encode(frames[i & 15], i, DecodedFrameEncoder.ALL, buf);
        }
        long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isPositive();
        assertThat(bytes).as("bytes allocated by 100 000 encodings").isLessThan(1_000);
    }
}
