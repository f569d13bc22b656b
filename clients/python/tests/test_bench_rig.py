"""The rig of `spikeloop bench e2e --rigs external` (app/src/main/resources/.../bench/e2e_rig.py), with real liblsl
through pylsl: after "stop" it pushes no more, reports its count, and keeps its outlet open until its stdin closes,
so every sample it pushed still reaches the consumer. The benchmark counts a sample as lost only when it never
arrived; a rig that destroyed its outlet at the stop would drop what was still in flight.
"""

import select
import subprocess
import sys
import time
import uuid

from _spikeloop_jar import REPO  # sets LSLAPICFG before pylsl loads liblsl

import pylsl

RIG = REPO / "app/src/main/resources/org/spikeloop/app/bench/e2e_rig.py"
CHANNELS = 8


def read_line(rig, timeout=10):
    ready, _, _ = select.select([rig.stdout], [], [], timeout)
    assert ready, f"the rig said nothing for {timeout} s"
    return rig.stdout.readline().strip()


def start_rig(name):
    rig = subprocess.Popen(
        [sys.executable, str(RIG), "--name", name, "--channels", str(CHANNELS), "--rate", "1000"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert read_line(rig) == "ready"
    return rig


def test_a_stopped_rig_keeps_its_outlet_until_every_pushed_sample_is_pulled():
    name = f"rig-{uuid.uuid4().hex[:8]}"
    rig = start_rig(name)
    try:
        streams = pylsl.resolve_byprop("name", name, timeout=10)
        assert streams, f"no LSL stream {name}"
        inlet = pylsl.StreamInlet(streams[0], max_buflen=60)
        inlet.open_stream(timeout=10)
        got = 0
        end = time.monotonic() + 1.0
        while time.monotonic() < end:  # the rig pushes once a consumer is connected
            chunk, _ = inlet.pull_chunk(timeout=0.05)
            got += len(chunk)
        rig.stdin.write("stop\n")
        rig.stdin.flush()
        line = read_line(rig)
        assert line.startswith("pushed "), line
        pushed = int(line.split()[1])
        assert pushed > 500, f"{pushed} samples in about a second at 1 kHz"
        assert rig.poll() is None, "the rig must keep its outlet open after stop"
        end = time.monotonic() + 10
        while got < pushed and time.monotonic() < end:
            chunk, _ = inlet.pull_chunk(timeout=0.1)
            got += len(chunk)
        time.sleep(0.3)
        chunk, _ = inlet.pull_chunk(timeout=0.1)
        got += len(chunk)
        assert got == pushed, f"pulled {got} of the {pushed} the rig says it pushed"
        rig.stdin.close()
        assert rig.wait(timeout=10) == 0
    finally:
        if rig.poll() is None:
            rig.kill()
            rig.wait()


def test_eof_alone_stops_the_rig_and_it_exits():
    rig = start_rig(f"rig-{uuid.uuid4().hex[:8]}")
    try:
        rig.stdin.close()  # the benchmark died: no "stop", just EOF
        assert rig.wait(timeout=10) == 0
        out = rig.stdout.read()
        assert out.strip() == "pushed 0", out  # no consumer ever connected
    finally:
        if rig.poll() is None:
            rig.kill()
            rig.wait()
