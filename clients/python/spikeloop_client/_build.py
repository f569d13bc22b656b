"""Generates the spikeloop.v1 Python stubs into spikeloop_client/_generated (gitignored).

Run as `python -m spikeloop_client._build` (the venv set-up or the tests may call it); importing
spikeloop_client also calls `ensure_stubs()`, which regenerates only when a .proto is newer than the
stubs. The .proto files are found at $SPIKELOOP_PROTO_DIR or ../../proto/src/main/proto.
"""

import os
import pathlib
import sys

PACKAGE = pathlib.Path(__file__).resolve().parent
GENERATED = PACKAGE / "_generated"


def proto_dir() -> pathlib.Path:
    env = os.environ.get("SPIKELOOP_PROTO_DIR")
    if env:
        return pathlib.Path(env)
    return PACKAGE.parents[2] / "proto" / "src" / "main" / "proto"


def _stale(protos, outputs) -> bool:
    if not outputs or len(outputs) < 2 * len(protos):
        return True
    newest_proto = max(p.stat().st_mtime for p in protos)
    oldest_output = min(o.stat().st_mtime for o in outputs)
    return newest_proto > oldest_output


def ensure_stubs(force: bool = False) -> pathlib.Path:
    """Generates the stubs if missing or older than the .proto files; returns the output directory."""
    root = proto_dir()
    protos = sorted((root / "spikeloop" / "v1").glob("*.proto"))
    if not protos:
        if any(GENERATED.glob("spikeloop/v1/*_pb2.py")):
            return GENERATED  # installed without the sources: use what was generated
        raise FileNotFoundError(f"no spikeloop/v1/*.proto under {root} (set SPIKELOOP_PROTO_DIR)")
    outputs = list(GENERATED.glob("spikeloop/v1/*_pb2*.py"))
    if force or _stale(protos, outputs):
        from grpc_tools import protoc  # only needed to generate
        GENERATED.mkdir(parents=True, exist_ok=True)
        args = ["grpc_tools.protoc", f"-I{root}", f"--python_out={GENERATED}",
                f"--grpc_python_out={GENERATED}", *[str(p.relative_to(root)) for p in protos]]
        if protoc.main(args) != 0:
            raise RuntimeError(f"grpc_tools.protoc failed on {root}")
    return GENERATED


if __name__ == "__main__":
    out = ensure_stubs(force="--force" in sys.argv)
    print(out)
