"""The hand-written layer over the generated stubs: connect, sessions, ingest, watch, learning, jobs,
governance.

Replies come back as :class:`~spikeloop_client.replies.Reply` views: the message's own attribute names,
enum fields as names (``session.state == "LEARNING"``), sub-messages as views too (``replies`` module).
Enum arguments are taken as those names in any case; an unknown one is a ValueError naming the valid ones.
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import sys

import grpc
import numpy as np

from . import _build
from .replies import Reply, enum_number

if str(_build.GENERATED) not in sys.path:
    sys.path.insert(0, str(_build.ensure_stubs()))

from spikeloop.v1 import (common_pb2, decode_pb2, decode_pb2_grpc, ingest_pb2, ingest_pb2_grpc, jobs_pb2, jobs_pb2_grpc,
                          learning_pb2, learning_pb2_grpc, session_pb2, session_pb2_grpc)  # noqa: E402

# The enums the client takes by name (replies.enum_number: short names in any case, full names, numbers).
LEARNING_MODE = learning_pb2.LearningMode.DESCRIPTOR
LABEL_KIND = session_pb2.LabelKind.DESCRIPTOR
NEURON_MODEL = session_pb2.NeuronModelKind.DESCRIPTOR
FRAME_FIELD = decode_pb2.FrameField.DESCRIPTOR


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

    Every method returning a message returns a `Reply` (enum fields as names, e.g. `state == "RUNNING"`);
    lists of them come back as Python lists. A failed call raises SpikeloopError (status code + the
    server's message); a bad enum name raises ValueError before anything is sent. The generated stubs are
    the attributes `sessions`, `ingest`, `decode`, `learning`, `jobs`, `governance`, for anything else.
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
        self.jobs = jobs_pb2_grpc.JobServiceStub(self.channel)
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

    def _reply(self, method, request, timeout=10.0) -> Reply:
        return Reply(self._call(method, request, timeout))

    def _stream(self, call, max_items: Optional[int] = None, unpack=None) -> Iterator[Reply]:
        """The messages of a server-streaming call as Replies (each message's items when `unpack` is
        given, e.g. the frames of a DecodedFrames); cancels the call when the iterator stops (max_items
        reached, closed or garbage-collected). A CANCELLED end is a normal end."""
        n = 0
        try:
            for message in call:
                for item in (unpack(message) if unpack else (message,)):
                    yield Reply(item)
                    n += 1
                    if max_items is not None and n >= max_items:
                        return
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.CANCELLED:
                _raise(e)
        finally:
            call.cancel()

    # ---- sessions ----

    def create_session(self, channels: int, sample_rate_hz: float = 1000.0, hidden: int = 64,
                       outputs: int = 2, neuron: str = "alif", seed: int = 1, checkpoint: str = None,
                       registry_id: str = None, name: str = "", learning: bool = False,
                       learning_rate: float = 0.0, update_interval_steps: int = 0, stall_after_s: float = 0.0,
                       lsl_stream: str = None, lsl_outlet: Optional[dict] = None,
                       lsl_labels: Optional[dict] = None, front_end: Optional[Sequence[dict]] = None,
                       lsl_decisions: Optional[dict] = None, live_edge: Optional[dict] = None) -> Reply:
        """A session fed by gRPC ingest, or by the LSL stream named `lsl_stream`; returns the Session.

        The decoder is a fresh architecture (hidden, outputs, neuron "lif" or "alif", seed), or, with
        `registry_id`, the registry checkpoint of that content id (it becomes the session's active
        checkpoint; `outputs` is then checked against it), or, legacy, the checkpoint file `checkpoint` in
        the server's checkpoint directory.

        learning: start with e-prop on (state LEARNING) rather than off (RUNNING). learning_rate and
        update_interval_steps: the e-prop step size and how many steps between weight updates
        (LearningSettings; 0 = the server's default; outside the server's bounds INVALID_ARGUMENT
        naming the field). set_learning_mode / set_learning_parameters change them later.

        lsl_outlet: publish the decoded outputs on LSL, e.g. {"name": "cursor", "type": "Decoded",
        "source_id": "..."} (LslOutletSpec fields). lsl_labels: take labels from an LSL stream, e.g.
        {"name": "kin", "kind": "continuous"} or {"name": "cues", "kind": "markers",
        "cue_classes": {"769": 0, "left_hand": 0, "770": 1}, "class_names": ["left", "right"],
        "trial_s": 3.5, "start_offset_s": 0.5, "end_cues": ["800"], "ignored_markers": ["768"]}
        (LslLabelSpec fields; kind "continuous" or "markers"; markers may be strings or numbers, a number
        matching a cue by value). With marker labels the outputs are the classes and each trial window
        ends in a decision (watch_decisions); lsl_decisions publishes them on LSL too, e.g.
        {"name": "decisions"} (LslOutletSpec fields: a string marker stream, visible to every LSL peer
        on the network). front_end: stages in order, each a
        FrontEndStage as a dict, e.g. [{"band_power": {"bands": [{"low_hz": 8, "high_hz": 12}],
        "window_s": 0.5, "output_rate_hz": 50, "log": True}}, {"normalise": {"time_constant_s": 10}}];
        channels and sample_rate_hz are then the source stream's.

        live_edge: what the engine does when it falls behind (LiveEdgeSpec fields): None = the server's
        default (skip to the newest sample when more than session.liveEdgeMaxLagMs, 50 ms, waits);
        {"max_lag_ms": 200} for another bound; {"decode_everything": True} to decode every sample however
        late (replays, clients that push faster than real time).

        Raises ValueError for a neuron or label kind that is not one of the valid names."""
        if registry_id is not None:
            decoder = session_pb2.DecoderSpec(registry_id=registry_id, outputs=outputs)
        elif checkpoint:
            decoder = session_pb2.DecoderSpec(checkpoint=checkpoint)
        else:
            decoder = session_pb2.DecoderSpec(architecture=session_pb2.Architecture(
                hidden=hidden, outputs=outputs, seed=seed, neuron=enum_number(NEURON_MODEL, neuron, "neuron")))
        source = (session_pb2.SourceSpec(kind=session_pb2.SOURCE_LSL, lsl_stream_name=lsl_stream) if lsl_stream
                  else session_pb2.SourceSpec(kind=session_pb2.SOURCE_GRPC))
        settings = session_pb2.LearningSettings(enabled=learning, learning_rate=learning_rate,
                                                update_interval_steps=update_interval_steps)
        spec = session_pb2.SessionSpec(name=name, channel_count=channels, sample_rate_hz=sample_rate_hz,
                                       decoder=decoder, learning=settings, stall_after_s=stall_after_s,
                                       source=source)
        if front_end:
            spec.front_end.CopyFrom(session_pb2.FrontEndSpec(
                stages=[session_pb2.FrontEndStage(**stage) for stage in front_end]))
        if lsl_outlet is not None:
            spec.lsl_outlet.CopyFrom(session_pb2.LslOutletSpec(**lsl_outlet))
        if lsl_decisions is not None:
            spec.lsl_decisions.CopyFrom(session_pb2.LslOutletSpec(**lsl_decisions))
        if lsl_labels is not None:
            fields = dict(lsl_labels)
            kind = fields.pop("kind", None)
            # No kind: sent unset, so the server names the missing field.
            kind = 0 if kind is None else enum_number(LABEL_KIND, kind, "lsl_labels kind")
            spec.lsl_labels.CopyFrom(session_pb2.LslLabelSpec(kind=kind, **fields))
        if live_edge is not None:
            spec.live_edge.CopyFrom(session_pb2.LiveEdgeSpec(**live_edge))
        return self._reply(self.sessions.CreateSession, session_pb2.CreateSessionRequest(spec=spec))

    def get_session(self, session_id: str) -> Reply:
        return self._reply(self.sessions.GetSession, common_pb2.SessionId(session_id=session_id))

    def list_sessions(self) -> List[Reply]:
        return [Reply(s) for s in self._call(self.sessions.ListSessions, session_pb2.ListSessionsRequest()).sessions]

    def stop_session(self, session_id: str) -> Reply:
        return self._reply(self.sessions.StopSession, common_pb2.SessionId(session_id=session_id))

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

    def push_chunks(self, chunks: Iterable[common_pb2.SampleChunk], timeout: float = 60.0) -> Reply:
        """Streams SampleChunk messages; returns the IngestSummary."""
        try:
            return Reply(self.ingest.PushSamples(iter(chunks), metadata=self._metadata, timeout=timeout))
        except grpc.RpcError as e:
            _raise(e)

    def push_samples(self, session_id: str, samples, timestamps=None, chunk: int = 100, **kw) -> Reply:
        """Streams [n, channels] samples with n time stamps (LSL clock seconds); returns the IngestSummary.
        Keywords: nominal_rate_hz (sample_chunks), none else."""
        return self.push_chunks(self.sample_chunks(session_id, samples, timestamps, chunk, **kw))

    def push_labels(self, session_id: str, labels, timestamps, chunk: int = 100, timeout: float = 60.0) -> Reply:
        """Streams [n, outputs] labels with n time stamps (LSL clock seconds); returns the IngestSummary."""
        y = np.asarray(labels, dtype=np.float32)
        ts = np.asarray(timestamps, dtype=np.float64)

        def gen():
            for start in range(0, len(y), chunk):
                yield common_pb2.LabelChunk(session_id=session_id, label_dim=y.shape[1],
                                            values=y[start:start + chunk].ravel().tolist(),
                                            timestamps=ts[start:start + chunk].tolist())
        try:
            return Reply(self.ingest.PushLabels(gen(), metadata=self._metadata, timeout=timeout))
        except grpc.RpcError as e:
            _raise(e)

    # ---- decode ----

    def watch(self, session_id: str, max_rate_hz: float = 0.0, fields: Sequence[Union[str, int]] = (),
              max_frames: Optional[int] = None, timeout: Optional[float] = None,
              batched: bool = False, batch_interval_ms: int = 0) -> Iterator[Reply]:
        """Decoded frames (DecodedFrame Replies) as an iterator; stops after max_frames (cancelling the
        stream) or when the session stops. The stream is cancelled when the iterator is closed or
        garbage-collected. fields: the FrameFields to fill, by name ("outputs", "label", "times",
        "spike_count"; empty = all; step and frames_dropped always come). batched: call WatchBatched,
        which sends the frames the server has for this watcher in one message (the same frames, one
        by one here; cheaper for the server when a client reads every frame of a chunked source).
        batch_interval_ms (with batched=True; 0 to 100): the server gathers this watcher's frames and
        sends them at most once every that many ms (sooner when 64 are waiting), so a sample-by-sample
        source costs it a message per interval rather than per frame; every frame still comes, each up
        to that much later. Watch refuses it, and a value over 100: SpikeloopError INVALID_ARGUMENT
        at the first next()."""
        request = decode_pb2.WatchRequest(session_id=session_id, max_rate_hz=max_rate_hz,
                                          fields=[enum_number(FRAME_FIELD, f, "field") for f in fields],
                                          batch_interval_ms=batch_interval_ms)

        # The request is checked now; the call starts at the first next(), so an iterator that is never
        # read opens no stream (and needs no cancel).
        def frames():
            if batched:
                yield from self._stream(self.decode.WatchBatched(request, metadata=self._metadata, timeout=timeout),
                                        max_frames, unpack=lambda batch: batch.frames)
            else:
                yield from self._stream(self.decode.Watch(request, metadata=self._metadata, timeout=timeout),
                                        max_frames)
        return frames()

    def open_watch(self, session_id: str, **kw):
        """The raw streaming call (an iterator of DecodedFrame messages, not Replies, with .cancel()), for
        callers managing it themselves; keywords are WatchRequest fields."""
        return self.decode.Watch(decode_pb2.WatchRequest(session_id=session_id, **kw), metadata=self._metadata)

    def watch_decisions(self, session_id: str, max_decisions: Optional[int] = None,
                        timeout: Optional[float] = None) -> Iterator[Reply]:
        """The per-trial decisions of a session whose labels are markers (TrialDecision Replies: trial,
        decision and decision_name, probabilities by class, cue and cue_class / cue_class_name,
        start_time / end_time of the window, decision_time, frames, learned, decisions_dropped) as an
        iterator, from the next decision on; stops after max_decisions (cancelling the stream) or when
        the session stops. The call starts at the first next(), so read it from the moment decisions
        matter (e.g. in a thread). A session without marker labels raises SpikeloopError
        FAILED_PRECONDITION."""
        request = decode_pb2.WatchDecisionsRequest(session_id=session_id)

        def decisions():
            yield from self._stream(
                self.decode.WatchDecisions(request, metadata=self._metadata, timeout=timeout), max_decisions)
        return decisions()

    def statistics(self, session_id: str) -> Reply:
        """The SessionStatistics: counters, step and end-to-end latency summaries, rates."""
        return self._reply(self.decode.GetStatistics, common_pb2.SessionId(session_id=session_id))

    # ---- learning ----

    def set_learning_mode(self, session_id: str, mode: str) -> Reply:
        """mode: "enabled", "paused" or "frozen" (any case; LearningMode); returns the LearningState,
        whose `mode` reads back as "ENABLED", "PAUSED" or "FROZEN". Another name is a ValueError."""
        return self._reply(self.learning.SetLearningMode, learning_pb2.SetLearningModeRequest(
            session_id=session_id, mode=enum_number(LEARNING_MODE, mode, "mode")))

    def set_learning_parameters(self, session_id: str, learning_rate: float = 0.0,
                                update_interval_steps: int = 0) -> Reply:
        """Changes the e-prop step size and the steps between updates (0 = unchanged); returns the
        LearningState."""
        return self._reply(self.learning.SetLearningParameters, learning_pb2.SetLearningParametersRequest(
            session_id=session_id, learning_rate=learning_rate, update_interval_steps=update_interval_steps))

    def snapshot(self, session_id: str, reason: str = "") -> Reply:
        """Registers the live weights in the server's checkpoint registry (they become the session's
        active checkpoint); returns the CheckpointInfo (content_id = registry id, lineage fields)."""
        return self._reply(self.learning.SnapshotCheckpoint,
                           learning_pb2.SnapshotRequest(session_id=session_id, reason=reason))

    def load_checkpoint(self, session_id: str, checkpoint_id: str, reason: str = "") -> Reply:
        """Loads the registry checkpoint `checkpoint_id` (a content id) into the session; returns the
        LearningState."""
        return self._reply(self.learning.LoadCheckpoint, learning_pb2.LoadCheckpointRequest(
            session_id=session_id, checkpoint=checkpoint_id, reason=reason))

    def roll_back(self, session_id: str) -> Reply:
        """Back to the previous active registry checkpoint, else to the session's last-good one; returns
        the LearningState."""
        return self._reply(self.learning.RollBack, common_pb2.SessionId(session_id=session_id))

    def learning_state(self, session_id: str) -> Reply:
        return self._reply(self.learning.GetLearningState, common_pb2.SessionId(session_id=session_id))

    # ---- offline training jobs ----

    def submit_job(self, session_id: str, recordings: Sequence[str], inputs_stream: str, labels_stream: str, *,
                   from_s: Optional[float] = None, to_s: Optional[float] = None,
                   config_json: Union[str, Mapping] = "", start_checkpoint: str = "",
                   validation_fraction: float = 0.0, window_frames: int = 0, patience: int = 0) -> Reply:
        """Queues an SG-BPTT training job on recordings in the server's recordings directory (file
        names); returns its JobInfo (state "QUEUED"; `id` names it for watch_job and cancel_job).

        session_id: the session whose reference the result becomes ("" = none); the job starts from
        `start_checkpoint` (a registry id) or else that session's active checkpoint. inputs_stream /
        labels_stream: stream names in the recordings. from_s / to_s: the time range (LSL clock s; None =
        the whole files). config_json: a `spikeloop train` job config as JSON text or a dict ("" = the
        defaults around the start's architecture; a config with a classification "task" trains a
        classifier on a marker labels stream, docs/jobs.md). validation_fraction (0 = 0.25 of the time,
        or half of the trials for classification), window_frames (0 = 500), patience (0 = 3): the
        held-out tail, the training window, early-stopping patience. A classification job's JobInfo
        carries `classification` (held-out accuracy, confusion matrix, CSP+LDA next to it).
        A bad request is INVALID_ARGUMENT naming the field; a full job queue RESOURCE_EXHAUSTED."""
        if not isinstance(config_json, str):
            config_json = json.dumps(config_json)
        r = jobs_pb2.SubmitJobRequest(session_id=session_id, recordings=list(recordings),
                                      inputs_stream=inputs_stream, labels_stream=labels_stream,
                                      config_json=config_json, start_checkpoint=start_checkpoint,
                                      validation_fraction=validation_fraction, window_frames=window_frames,
                                      patience=patience)
        if from_s is not None:
            r.from_s = from_s
        if to_s is not None:
            r.to_s = to_s
        return self._reply(self.jobs.SubmitJob, r)

    def watch_job(self, job_id: str, timeout: Optional[float] = None) -> Iterator[Reply]:
        """The job's JobEvents as an iterator, past ones first: state changes (`state` "QUEUED",
        "RUNNING", ...) and one per epoch (`progress`: epoch, losses, validation R² or, for a
        classification job, validation accuracy, ETA); it ends after
        the event of the final state ("SUCCEEDED" with the checkpoint id as `message`, "FAILED" with the
        error, "CANCELLED"). An unknown id raises SpikeloopError NOT_FOUND when iterated."""
        yield from self._stream(self.jobs.WatchJob(jobs_pb2.JobId(id=job_id), metadata=self._metadata,
                                                   timeout=timeout))

    def list_jobs(self, session_id: str = "") -> List[Reply]:
        """JobInfos, newest first: the jobs of `session_id`, or all ("")."""
        return [Reply(j) for j in self._call(self.jobs.ListJobs, jobs_pb2.ListJobsRequest(session_id=session_id)).jobs]

    def cancel_job(self, job_id: str) -> Reply:
        """Asks the job to stop: a queued job ends before it starts, a running one after its current
        epoch. Returns the JobInfo as it was when asked (watch_job shows it reach "CANCELLED"; a job that
        had already ended keeps its state)."""
        return self._reply(self.jobs.CancelJob, jobs_pb2.JobId(id=job_id))

    # ---- governance (registry roles, policies, audit) ----

    def govern_session(self, session_id: str, recordings: Sequence[str], inputs_stream: str, labels_stream: str,
                       policy: Optional[dict] = None, evaluation_seconds: float = 0.0,
                       snapshot_every_s: Optional[int] = None) -> Reply:
        """Puts a session under governance; returns the GovernanceState. `policy`: GovernancePolicy
        fields (None = manual); `snapshot_every_s`: period of the live-weight snapshots (None = server
        default, 0 = off)."""
        r = jobs_pb2.GovernSessionRequest(session_id=session_id, recordings=list(recordings),
                                          inputs_stream=inputs_stream, labels_stream=labels_stream,
                                          evaluation_seconds=evaluation_seconds,
                                          policy=jobs_pb2.GovernancePolicy(**(policy or {})))
        if snapshot_every_s is not None:
            r.snapshot_every_s = snapshot_every_s
        return self._reply(self.governance.GovernSession, r)

    def governance_state(self, session_id: str) -> Reply:
        return self._reply(self.governance.GetGovernance, common_pb2.SessionId(session_id=session_id))

    def set_policy(self, session_id: str, policy: Optional[dict] = None,
                   snapshot_every_s: Optional[int] = None) -> Reply:
        """Changes the policy; `snapshot_every_s` None keeps the current snapshot period. Returns the
        GovernanceState."""
        r = jobs_pb2.SetPolicyRequest(session_id=session_id, policy=jobs_pb2.GovernancePolicy(**(policy or {})))
        if snapshot_every_s is not None:
            r.snapshot_every_s = snapshot_every_s
        return self._reply(self.governance.SetPolicy, r)

    def governance_audit(self, session_id: str = "") -> List[Reply]:
        """Audited snapshots, loads, rollbacks, promotions and policy changes, oldest first."""
        events = self._call(self.governance.ListGovernanceAudit, common_pb2.SessionId(session_id=session_id)).events
        return [Reply(e) for e in events]
