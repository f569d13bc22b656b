package org.spikeloop.server.grpc;

import io.grpc.stub.StreamObserver;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.LabelChunk;
import org.spikeloop.proto.v1.SampleChunk;
import org.spikeloop.server.session.SampleIngest;
import org.spikeloop.server.session.ServerException;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionManager;

/**
 * spikeloop.v1.IngestService: client-streaming samples and labels. The first chunk names the
 * session and opens its (single) ingest slot; each chunk is checked and its rows offered to the
 * session's ring without waiting. The first bad chunk ends the stream with a status naming the
 * field; the summary reports accepted, dropped and non-finite rows.
 */
public final class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {
    private final SessionManager sessions;

    public IngestGrpcService(SessionManager sessions) {
        this.sessions = sessions;
    }

    @Override
    public StreamObserver<SampleChunk> pushSamples(StreamObserver<IngestSummary> response) {
        return new ChunkObserver<>(response) {
            @Override
            SampleIngest open(Session s) {
                return s.openSampleStream();
            }

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
                        c::getValues,
                        c::getTimestamps);
            }
        };
    }

    @Override
    public StreamObserver<LabelChunk> pushLabels(StreamObserver<IngestSummary> response) {
        return new ChunkObserver<>(response) {
            @Override
            SampleIngest open(Session s) {
                return s.openLabelStream();
            }

            @Override
            void accept(LabelChunk c) {
                feed(
                        c.getSessionId(),
                        (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(c.getLabelDim())),
                        c.getValuesCount(),
                        c.getTimestampsCount(),
                        0,
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
        private SampleIngest ingest;
        private String sessionId;
        private boolean done;

        ChunkObserver(StreamObserver<IngestSummary> response) {
            this.response = response;
        }

        abstract SampleIngest open(Session s);

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
                FloatAt values,
                DoubleAt ts) {
            if (ingest == null) {
                if (id.isEmpty()) {
                    throw ServerException.invalid(
                            "session_id: the first chunk must name the session");
                }
                ingest = open(sessions.get(id));
                sessionId = id;
            } else if (!id.isEmpty() && !id.equals(sessionId)) {
                throw ServerException.invalid(
                        "session_id: this stream feeds '"
                                + sessionId
                                + "'; a chunk named '"
                                + id
                                + "'");
            }
            int rows = ingest.beginChunk(width, valueCount, tsCount, rateHz);
            float[] row = ingest.rowBuffer();
            for (int r = 0; r < rows; r++) {
                int base = r * width;
                for (int i = 0; i < width; i++) {
                    row[i] = values.at(base + i);
                }
                ingest.offerRow(tsCount == 0 ? Double.NaN : ts.at(r));
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
            if (ingest != null) {
                b.setAccepted(ingest.accepted())
                        .setDroppedRingFull(ingest.dropped())
                        .setRejectedNonFinite(ingest.nonFinite())
                        .setChunks(ingest.chunks());
            }
            close();
            response.onNext(b.build());
            response.onCompleted();
        }

        private void close() {
            if (ingest != null) {
                ingest.close();
            }
        }
    }
}
