"""Python client for Spikeloop (spikeloop.v1) and helpers shared by the interop suite.

    from spikeloop_client import Client
    with Client("127.0.0.1:50051", token=TOKEN) as c:
        s = c.create_session(channels=96, sample_rate_hz=1000, hidden=256, outputs=2, learning=True,
                             learning_rate=1e-3, update_interval_steps=100)
        print(s.id, s.state)                       # s-..., LEARNING
        c.push_samples(s.id, samples, timestamps)
        for frame in c.watch(s.id, max_frames=100):
            print(frame.step, list(frame.outputs))

Replies are `Reply` views of the messages: the same attribute names, enum fields as names without
their prefix (`state == "LEARNING"`, not 3), `.proto` for the message itself (see `replies`). Enum
arguments are those names in any case (`set_learning_mode(id, "enabled")`); an unknown one raises
ValueError listing the valid ones.

The gRPC stubs are generated on first use of the client (spikeloop_client._build), so importing
other modules of this package needs neither grpcio-tools nor the .proto files.
"""

_CLIENT_NAMES = {"Client", "SpikeloopError", "common_pb2", "session_pb2", "ingest_pb2", "decode_pb2",
                 "learning_pb2", "jobs_pb2"}


def __getattr__(name):
    if name in _CLIENT_NAMES:
        from . import client
        return getattr(client, name)
    if name == "Reply":
        from .replies import Reply
        return Reply
    raise AttributeError(f"module 'spikeloop_client' has no attribute {name!r}")
