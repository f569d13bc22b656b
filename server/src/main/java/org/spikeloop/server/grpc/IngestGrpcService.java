package org.spikeloop.server.grpc;

import io.grpc.stub.StreamObserver;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.LabelChunk;
import org.spikeloop.proto.v1.SampleChunk;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.session.IngestStream;
import org.spikeloop.server.session.SessionManager;

/**
 * spikeloop.v1.IngestService: client-streaming samples and labels. Each stream is an {@link
 * IngestStream} (the first chunk names the session and opens its single ingest slot); each chunk is
 * checked by the session's {@link SampleIngest} and its rows offered to the session's ring without
 * waiting. The first bad chunk ends the stream with a status naming the field; the summary reports
 * accepted, dropped and non-finite rows. A stream to a session that is stopped or in ERROR (its
 * engine decodes nothing more) ends at its next chunk, or at its half-close, with
 * FAILED_PRECONDITION naming the session, its state and the failure's reason, never with a summary
 * counting rows accepted that the engine will not decode.
 */
public final class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {
    private final SessionManager sessions;

    public IngestGrpcService(SessionManager sessions) {
        this.sessions = sessions;
    }

    @Override
    public StreamObserver<SampleChunk> pushSamples(StreamObserver<IngestSummary> response) {
        return new ChunkObserver<>(response, IngestStream.Kind.SAMPLES) {
            @Override
            void accept(SampleChunk c) {
                String id = c.getSessionId();
                feed(
                        id,
                        (int)
                                Math.min(
                                        Integer.MAX_VALUE,
                                        Integer.toUnsignedLong(c.getChannelCount())),
                        c.getValuesCount(),
                        c.getTimestampsCount(),
                        c.getNominalRateHz(),
                        c.getSerializedSize(),
                        c::getValues,
                        c::getTimestamps);
            }
        };
    }

    @Override
    public StreamObserver<LabelChunk> pushLabels(StreamObserver<IngestSummary> response) {
        return new ChunkObserver<>(response, IngestStream.Kind.LABELS) {
            @Override
            void accept(LabelChunk c) {
                feed(
                        c.getSessionId(),
                        (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(c.getLabelDim())),
                        c.getValuesCount(),
                        c.getTimestampsCount(),
                        0,
                        c.getSerializedSize(),
                        c::getValues,
                        c::getTimestamps);
            }
        };
    }

    private interface FloatAt {
        float at(int i);
    }

    private interface DoubleAt {
        double at(int i);
    }

    private abstract class ChunkObserver<T> implements StreamObserver<T> {
        private final StreamObserver<IngestSummary> response;
        private final IngestStream stream;
        private boolean done;

        ChunkObserver(StreamObserver<IngestSummary> response, IngestStream.Kind kind) {
            this.response = response;
            this.stream = new IngestStream(sessions, kind);
        }

        abstract void accept(T chunk);

        @Override
        public void onNext(T chunk) {
            if (done) {
                return;
            }
            try {
                accept(chunk);
            } catch (RuntimeException e) {
                done = true;
                close();
                response.onError(Statuses.toStatus(e));
            }
        }

        void feed(
                String id,
                int width,
                int valueCount,
                int tsCount,
                double rateHz,
                long messageBytes,
                FloatAt values,
                DoubleAt ts) {
            SampleIngest ingest = stream.forChunk(id);
            int rows = ingest.beginChunk(width, valueCount, tsCount, rateHz, messageBytes);
            float[] row = ingest.rowBuffer();
            for (int r = 0; r < rows; r++) {
                int base = r * width;
                for (int i = 0; i < width; i++) {
                    row[i] = values.at(base + i);
                }
                if (tsCount == 0) {
                    ingest.offerUnstampedRow();
                } else {
                    ingest.offerRow(ts.at(r));
                }
            }
            ingest.endChunk();
        }

        @Override
        public void onError(Throwable t) {
            done = true;
            close();
        }

        @Override
        public void onCompleted() {
            if (done) {
                return;
            }
            done = true;
            IngestSummary.Builder b = IngestSummary.newBuilder();
            SampleIngest ingest = stream.ingest();
            if (ingest != null) {
                try {
                    // A session that failed or stopped since the last chunk decodes no more of
                    // this stream's rows: no summary may call them accepted.
                    ingest.requireOpen();
                } catch (RuntimeException e) {
                    close();
                    response.onError(Statuses.toStatus(e));
                    return;
                }
                b.setAccepted(ingest.accepted())
                        .setDroppedRingFull(ingest.dropped())
                        .setRejectedNonFinite(ingest.nonFinite())
                        .setTimestampsRepaired(ingest.timestampsRepaired())
                        .setChunks(ingest.chunks());
            }
            close();
            response.onNext(b.build());
            response.onCompleted();
        }

        private void close() {
            stream.close();
        }
    }
}
