"""Python client for Spikeloop (spikeloop.v1) and helpers shared by the interop suite.

    from spikeloop_client import Client
    with Client("127.0.0.1:50051", token=TOKEN) as c:
        s = c.create_session(channels=96, sample_rate_hz=1000, hidden=256, outputs=2)
        c.push_samples(s.id, samples, timestamps)
        for frame in c.watch(s.id, max_frames=100):
            print(frame.step, list(frame.outputs))

The gRPC stubs are generated on first use of the client (spikeloop_client._build), so importing
other modules of this package needs neither grpcio-tools nor the .proto files.
"""

_CLIENT_NAMES = {"Client", "SpikeloopError", "common_pb2", "session_pb2", "ingest_pb2", "decode_pb2",
                 "learning_pb2", "jobs_pb2"}


def __getattr__(name):
    if name in _CLIENT_NAMES:
        from . import client
        return getattr(client, name)
    raise AttributeError(f"module 'spikeloop_client' has no attribute {name!r}")
