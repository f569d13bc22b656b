"""The hand-written layer over the generated stubs: connect, sessions, ingest, watch, learning."""

from __future__ import annotations

from typing import Iterable, Iterator, Optional, Sequence

import sys

import grpc
import numpy as np

from . import _build

if str(_build.GENERATED) not in sys.path:
    sys.path.insert(0, str(_build.ensure_stubs()))

from spikeloop.v1 import (common_pb2, decode_pb2, decode_pb2_grpc, ingest_pb2_grpc, jobs_pb2, jobs_pb2_grpc,
                          learning_pb2, learning_pb2_grpc, session_pb2, session_pb2_grpc)  # noqa: E402

MODES = {
    "enabled": learning_pb2.LEARNING_MODE_ENABLED,
    "paused": learning_pb2.LEARNING_MODE_PAUSED,
    "frozen": learning_pb2.LEARNING_MODE_FROZEN,
}


LABEL_KINDS = {
    "continuous": session_pb2.LABEL_KIND_CONTINUOUS,
    "markers": session_pb2.LABEL_KIND_MARKERS,
}


class SpikeloopError(Exception):
    """A call failed; `code` is the grpc.StatusCode and the message names the field or limit."""

    def __init__(self, code: grpc.StatusCode, details: str):
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details


def _raise(e: grpc.RpcError):
    raise SpikeloopError(e.code(), e.details()) from e


class Client:
    """A connection to one Spikeloop server.

    target: "host:port". token: bearer token (sent as `authorization: Bearer ...`).
    root_certificates / private_key / certificate_chain: PEM bytes for TLS / mutual TLS.
    """

    def __init__(self, target: str, token: Optional[str] = None, *, root_certificates: bytes = None,
                 private_key: bytes = None, certificate_chain: bytes = None, tls_server_name: str = None,
                 max_message_bytes: int = 64 << 20):
        options = [("grpc.max_receive_message_length", max_message_bytes),
                   ("grpc.max_send_message_length", max_message_bytes)]
        if tls_server_name:
            options.append(("grpc.ssl_target_name_override", tls_server_name))
        if root_certificates is not None:
            creds = grpc.ssl_channel_credentials(root_certificates, private_key, certificate_chain)
            self.channel = grpc.secure_channel(target, creds, options=options)
        else:
            self.channel = grpc.insecure_channel(target, options=options)
        self._metadata = (("authorization", f"Bearer {token}"),) if token else None
        self.sessions = session_pb2_grpc.SessionServiceStub(self.channel)
        self.ingest = ingest_pb2_grpc.IngestServiceStub(self.channel)
        self.decode = decode_pb2_grpc.DecodeServiceStub(self.channel)
        self.learning = learning_pb2_grpc.LearningServiceStub(self.channel)
        self.governance = jobs_pb2_grpc.GovernanceServiceStub(self.channel)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.channel.close()

    def _call(self, method, request, timeout=10.0):
        try:
            return method(request, metadata=self._metadata, timeout=timeout)
        except grpc.RpcError as e:
            _raise(e)

    # ---- sessions ----

    def create_session(self, channels: int, sample_rate_hz: float = 1000.0, hidden: int = 64,
                       outputs: int = 2, neuron: str = "alif", seed: int = 1, checkpoint: str = None,
                       registry_id: str = None, name: str = "", learning: bool = False, stall_after_s: float = 0.0,
                       lsl_stream: str = None, lsl_outlet: Optional[dict] = None,
                       lsl_labels: Optional[dict] = None, front_end: Optional[Sequence[dict]] = None):
        """A session fed by gRPC ingest, or by the LSL stream named `lsl_stream`.

        The decoder is a fresh architecture (hidden, outputs, neuron, seed), or, with `registry_id`,
        the registry checkpoint of that content id (it becomes the session's active checkpoint;
        `outputs` is then checked against it), or, legacy, the checkpoint file `checkpoint` in the
        server's checkpoint directory.

        lsl_outlet: publish the decoded outputs on LSL, e.g. {"name": "cursor", "type": "Decoded",
        "source_id": "..."} (LslOutletSpec fields). lsl_labels: take labels from an LSL stream, e.g.
        {"name": "kin", "kind": "continuous"} or {"name": "cues", "kind": "markers",
        "cue_classes": {"left": 0, "right": 1}, "trial_s": 2.0, "end_cues": ["rest"]}
        (LslLabelSpec fields; kind "continuous" or "markers"). front_end: stages in order, each a
        FrontEndStage as a dict, e.g. [{"band_power": {"bands": [{"low_hz": 8, "high_hz": 12}],
        "window_s": 0.5, "output_rate_hz": 50, "log": True}}, {"normalise": {"time_constant_s": 10}}];
        channels and sample_rate_hz are then the source stream's."""
        decoder = (session_pb2.DecoderSpec(registry_id=registry_id, outputs=outputs) if registry_id is not None
                   else session_pb2.DecoderSpec(checkpoint=checkpoint) if checkpoint else
                   session_pb2.DecoderSpec(architecture=session_pb2.Architecture(
                       hidden=hidden, outputs=outputs, seed=seed,
                       neuron=session_pb2.NEURON_MODEL_LIF if neuron == "lif" else session_pb2.NEURON_MODEL_ALIF)))
        source = (session_pb2.SourceSpec(kind=session_pb2.SOURCE_LSL, lsl_stream_name=lsl_stream) if lsl_stream
                  else session_pb2.SourceSpec(kind=session_pb2.SOURCE_GRPC))
        spec = session_pb2.SessionSpec(name=name, channel_count=channels, sample_rate_hz=sample_rate_hz,
                                       decoder=decoder, learning=session_pb2.LearningSettings(enabled=learning),
                                       stall_after_s=stall_after_s, source=source)
        if front_end:
            spec.front_end.CopyFrom(session_pb2.FrontEndSpec(
                stages=[session_pb2.FrontEndStage(**stage) for stage in front_end]))
        if lsl_outlet is not None:
            spec.lsl_outlet.CopyFrom(session_pb2.LslOutletSpec(**lsl_outlet))
        if lsl_labels is not None:
            fields = dict(lsl_labels)
            kind = fields.pop("kind", None)
            if isinstance(kind, str):
                kind = LABEL_KINDS[kind]
            spec.lsl_labels.CopyFrom(session_pb2.LslLabelSpec(kind=kind or 0, **fields))
        return self._call(self.sessions.CreateSession, session_pb2.CreateSessionRequest(spec=spec))

    def get_session(self, session_id: str):
        return self._call(self.sessions.GetSession, common_pb2.SessionId(session_id=session_id))

    def list_sessions(self):
        return list(self._call(self.sessions.ListSessions, session_pb2.ListSessionsRequest()).sessions)

    def stop_session(self, session_id: str):
        return self._call(self.sessions.StopSession, common_pb2.SessionId(session_id=session_id))

    # ---- ingest ----

    @staticmethod
    def sample_chunks(session_id: str, samples, timestamps=None, chunk: int = 100,
                      nominal_rate_hz: float = 0.0) -> Iterator[common_pb2.SampleChunk]:
        """Splits [n, channels] samples (and n time stamps) into SampleChunk messages."""
        x = np.asarray(samples, dtype=np.float32)
        if x.ndim != 2:
            raise ValueError(f"samples must be 2-D [n, channels], got shape {x.shape}")
        ts = None if timestamps is None else np.asarray(timestamps, dtype=np.float64)
        for start in range(0, len(x), chunk):
            block = x[start:start + chunk]
            yield common_pb2.SampleChunk(
                session_id=session_id, channel_count=x.shape[1], values=block.ravel().tolist(),
                timestamps=[] if ts is None else ts[start:start + chunk].tolist(),
                nominal_rate_hz=nominal_rate_hz)

    def push_chunks(self, chunks: Iterable[common_pb2.SampleChunk], timeout: float = 60.0):
        """Streams SampleChunk messages; returns the IngestSummary."""
        try:
            return self.ingest.PushSamples(iter(chunks), metadata=self._metadata, timeout=timeout)
        except grpc.RpcError as e:
            _raise(e)

    def push_samples(self, session_id: str, samples, timestamps=None, chunk: int = 100, **kw):
        return self.push_chunks(self.sample_chunks(session_id, samples, timestamps, chunk, **kw))

    def push_labels(self, session_id: str, labels, timestamps, chunk: int = 100, timeout: float = 60.0):
        """Streams [n, outputs] labels with n time stamps (LSL clock seconds)."""
        y = np.asarray(labels, dtype=np.float32)
        ts = np.asarray(timestamps, dtype=np.float64)

        def gen():
            for start in range(0, len(y), chunk):
                yield common_pb2.LabelChunk(session_id=session_id, label_dim=y.shape[1],
                                            values=y[start:start + chunk].ravel().tolist(),
                                            timestamps=ts[start:start + chunk].tolist())
        try:
            return self.ingest.PushLabels(gen(), metadata=self._metadata, timeout=timeout)
        except grpc.RpcError as e:
            _raise(e)

    # ---- decode ----

    def watch(self, session_id: str, max_rate_hz: float = 0.0, fields: Sequence[int] = (),
              max_frames: Optional[int] = None, timeout: Optional[float] = None) -> Iterator[decode_pb2.DecodedFrame]:
        """Decoded frames as an iterator; stops after max_frames (cancelling the stream) or when the
        session stops. The stream is cancelled when the iterator is closed or garbage-collected."""
        call = self.decode.Watch(decode_pb2.WatchRequest(session_id=session_id, max_rate_hz=max_rate_hz,
                                                         fields=list(fields)),
                                 metadata=self._metadata, timeout=timeout)
        n = 0
        try:
            for frame in call:
                yield frame
                n += 1
                if max_frames is not None and n >= max_frames:
                    return
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.CANCELLED:
                _raise(e)
        finally:
            call.cancel()

    def open_watch(self, session_id: str, **kw):
        """The raw streaming call (an iterator with .cancel()), for callers managing it themselves."""
        return self.decode.Watch(decode_pb2.WatchRequest(session_id=session_id, **kw), metadata=self._metadata)

    def statistics(self, session_id: str):
        return self._call(self.decode.GetStatistics, common_pb2.SessionId(session_id=session_id))

    # ---- learning ----

    def set_learning_mode(self, session_id: str, mode: str):
        return self._call(self.learning.SetLearningMode,
                          learning_pb2.SetLearningModeRequest(session_id=session_id, mode=MODES[mode]))

    def set_learning_parameters(self, session_id: str, learning_rate: float = 0.0, update_interval_steps: int = 0):
        return self._call(self.learning.SetLearningParameters, learning_pb2.SetLearningParametersRequest(
            session_id=session_id, learning_rate=learning_rate, update_interval_steps=update_interval_steps))

    def snapshot(self, session_id: str, reason: str = ""):
        """Registers the live weights in the server's checkpoint registry (they become the session's
        active checkpoint); returns the CheckpointInfo (content_id = registry id, lineage fields)."""
        return self._call(self.learning.SnapshotCheckpoint,
                          learning_pb2.SnapshotRequest(session_id=session_id, reason=reason))

    def load_checkpoint(self, session_id: str, checkpoint_id: str, reason: str = ""):
        """Loads the registry checkpoint `checkpoint_id` (a content id) into the session."""
        return self._call(self.learning.LoadCheckpoint, learning_pb2.LoadCheckpointRequest(
            session_id=session_id, checkpoint=checkpoint_id, reason=reason))

    def roll_back(self, session_id: str):
        """Back to the previous active registry checkpoint, else to the session's last-good one."""
        return self._call(self.learning.RollBack, common_pb2.SessionId(session_id=session_id))

    def learning_state(self, session_id: str):
        return self._call(self.learning.GetLearningState, common_pb2.SessionId(session_id=session_id))

    # ---- governance (registry roles, policies, audit) ----

    def govern_session(self, session_id: str, recordings: Sequence[str], inputs_stream: str, labels_stream: str,
                       policy: Optional[dict] = None, evaluation_seconds: float = 0.0,
                       snapshot_every_s: Optional[int] = None):
        """Puts a session under governance. `policy`: GovernancePolicy fields (None = manual);
        `snapshot_every_s`: period of the live-weight snapshots (None = server default, 0 = off)."""
        r = jobs_pb2.GovernSessionRequest(session_id=session_id, recordings=list(recordings),
                                          inputs_stream=inputs_stream, labels_stream=labels_stream,
                                          evaluation_seconds=evaluation_seconds,
                                          policy=jobs_pb2.GovernancePolicy(**(policy or {})))
        if snapshot_every_s is not None:
            r.snapshot_every_s = snapshot_every_s
        return self._call(self.governance.GovernSession, r)

    def governance_state(self, session_id: str):
        return self._call(self.governance.GetGovernance, common_pb2.SessionId(session_id=session_id))

    def set_policy(self, session_id: str, policy: Optional[dict] = None, snapshot_every_s: Optional[int] = None):
        """Changes the policy; `snapshot_every_s` None keeps the current snapshot period."""
        r = jobs_pb2.SetPolicyRequest(session_id=session_id, policy=jobs_pb2.GovernancePolicy(**(policy or {})))
        if snapshot_every_s is not None:
            r.snapshot_every_s = snapshot_every_s
        return self._call(self.governance.SetPolicy, r)

    def governance_audit(self, session_id: str = ""):
        """Audited snapshots, loads, rollbacks, promotions and policy changes, oldest first."""
        return list(self._call(self.governance.ListGovernanceAudit, common_pb2.SessionId(session_id=session_id)).events)
