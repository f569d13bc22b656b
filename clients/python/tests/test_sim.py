"""`spikeloop sim eeg|intracortical` received by pylsl inlets: stream metadata, pace and EEG cue markers."""

import time
import uuid

import numpy as np
import pytest

from _spikeloop_jar import JAR, spikeloop_popen  # sets LSLAPICFG before pylsl loads liblsl

import pylsl  # noqa: E402

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

EEG_LABELS = ["Fz", "FC3", "FC1", "FCz", "FC2", "FC4", "C5", "C3", "C1", "Cz", "C2", "C4", "C6", "CP3",
              "CP1", "CPz", "CP2", "CP4", "P1", "Pz", "P2", "POz"]  # BCI Competition IV 2a montage
CUES = {"left_hand", "right_hand"}  # the default two classes
MEASURE_S = 2.0
# Samples arriving per wall-clock second differ from the nominal rate by at most a push chunk (10-20 ms).
RATE_TOLERANCE = 0.15


def open_inlet(proc, name):
    found = pylsl.resolve_byprop("name", name, 1, 30)
    if not found:
        proc.kill()
        pytest.fail(f"{name} not found by pylsl: {proc.communicate()[1]}")
    inlet = pylsl.StreamInlet(found[0], max_buflen=30)
    info = inlet.info(10)
    inlet.open_stream(10)
    return inlet, info


def labels(info, field="label"):
    out = []
    ch = info.desc().child("channels").child("channel")
    while not ch.empty():
        out.append(ch.child_value(field))
        ch = ch.next_sibling()
    return out


def max_stamp_lead(inlet, seconds):
    """How far the pulled stamps run ahead of local_clock() at the moment they were pulled (a sample
    must not be stamped with a time that has not come yet)."""
    lead = -np.inf
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        _, ts = inlet.pull_chunk(timeout=0.05)
        now = pylsl.local_clock()
        if ts:
            lead = max(lead, max(ts) - now)
    return lead


def measure(inlet, channels, seconds):
    """Drains what is buffered, then pulls for `seconds` of wall time; returns (values, stamps, samples
    that arrived during those seconds, wall seconds)."""
    rows, stamps = [], []
    chunk, ts = inlet.pull_chunk(timeout=5.0)
    assert ts, "no sample within 5 s"
    while ts:
        rows.extend(chunk)
        stamps.extend(ts)
        chunk, ts = inlet.pull_chunk(timeout=0.0)
    before = len(stamps)
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        chunk, ts = inlet.pull_chunk(timeout=0.05)
        rows.extend(chunk)
        stamps.extend(ts)
    wall = time.monotonic() - start
    values = np.asarray(rows, dtype=np.float32).reshape(len(stamps), channels)
    return values, np.asarray(stamps), len(stamps) - before, wall


def assert_rate(arrived, stamps, wall_s, rate_hz):
    assert abs(arrived / wall_s - rate_hz) <= RATE_TOLERANCE * rate_hz, (arrived, wall_s)
    # Samples carry the stamps they describe: start + index / rate.
    assert np.allclose(np.diff(stamps), 1.0 / rate_hz, rtol=0, atol=1e-6)


def finish(proc, timeout_s):
    out, err = proc.communicate(timeout=timeout_s)
    assert proc.returncode == 0, err
    return err


def test_sim_eeg_publishes_22_labelled_channels_at_250_hz_and_cue_markers():
    name = f"sim-eeg-{uuid.uuid4()}"
    duration_s = 12  # the first cue comes 2 s after the first trial start; 12 s holds a second trial
    proc = spikeloop_popen("sim", "eeg", "--prefix", name, "--duration", duration_s)
    try:
        eeg, info = open_inlet(proc, name + "-eeg")
        markers, minfo = open_inlet(proc, name + "-markers")
        assert info.type() == "EEG"
        assert info.channel_count() == 22
        assert info.nominal_srate() == 250
        assert info.channel_format() == pylsl.cf_float32
        assert labels(info) == EEG_LABELS
        assert labels(info, "unit") == ["microvolts"] * 22  # issue 16: units in the header
        assert labels(info, "type") == ["EEG"] * 22
        assert minfo.type() == "Markers"
        assert minfo.channel_format() == pylsl.cf_string
        assert minfo.nominal_srate() == pylsl.IRREGULAR_RATE

        values, stamps, arrived, wall = measure(eeg, 22, MEASURE_S)
        assert_rate(arrived, stamps, wall, 250)
        assert np.all(np.isfinite(values)) and values.std() > 0
        # Issue 16: stamps ran up to a push period (20 ms) ahead of local_clock(); none may.
        lead = max_stamp_lead(eeg, 1.0)
        assert lead <= 1e-4, f"a stamp {lead * 1e3:.2f} ms ahead of local_clock()"

        seen = []
        deadline = time.monotonic() + duration_s
        while time.monotonic() < deadline and not CUES.intersection(seen):
            sample, _ = markers.pull_sample(timeout=0.5)
            if sample:
                seen.append(sample[0])
        assert CUES.intersection(seen), f"no cue marker in {seen}"
        assert set(seen) <= CUES | {"trial_start", "trial_end"}, seen
        del eeg, markers
        err = finish(proc, duration_s + 30)
    finally:
        proc.kill()
    assert "22 channels at 250 Hz" in err


def test_sim_intracortical_publishes_96_units_and_kinematics_at_1_khz():
    name = f"sim-ic-{uuid.uuid4()}"
    proc = spikeloop_popen("sim", "intracortical", "--prefix", name, "--duration", 8)
    try:
        spikes, info = open_inlet(proc, name + "-spikes")
        kin, kinfo = open_inlet(proc, name + "-kinematics")
        assert info.type() == "Spikes"
        assert info.channel_count() == 96
        assert info.nominal_srate() == 1000
        assert info.channel_format() == pylsl.cf_float32
        assert kinfo.type() == "Kinematics"
        assert kinfo.channel_count() == 2
        assert kinfo.nominal_srate() == 1000
        assert labels(kinfo) == ["vx", "vy"]
        assert labels(kinfo, "unit") == ["m/s", "m/s"]
        assert labels(info, "unit") == ["spikes"] * 96

        values, stamps, arrived, wall = measure(spikes, 96, MEASURE_S)
        assert_rate(arrived, stamps, wall, 1000)
        assert set(np.unique(values)) <= {0.0, 1.0}
        # Poisson units at ~10 Hz baseline (+ modulation): the population rate is plausible.
        mean_rate_hz = values.sum() / values.shape[1] / (len(stamps) / 1000.0)
        assert 2 <= mean_rate_hz <= 60, mean_rate_hz

        v, kstamps, _, _ = measure(kin, 2, 0.5)
        assert np.all(np.isfinite(v)) and np.abs(v).max() > 0
        # Same clock: the kinematics stamps lie on the spikes' 1 ms grid.
        offsets = (kstamps - stamps[0]) * 1000.0
        assert np.allclose(offsets, np.round(offsets), atol=1e-3)
        del spikes, kin
        err = finish(proc, 40)
    finally:
        proc.kill()
    assert "(96 units)" in err and "at 1000 Hz" in err


def test_sim_intracortical_paced_up_publishes_four_times_faster_at_the_same_nominal_rate():
    """--speed 4: 4000 samples per wall-clock second, stamped when published (0.25 ms apart), while the
    nominal rate stays 1000 Hz and --duration counts simulated seconds (20 s of data in about 5 s: long enough
    that an inlet which connects late, as after other modules' streams, still sees a whole second of it)."""
    name = f"sim-ic-fast-{uuid.uuid4()}"
    duration_s = 20
    proc = spikeloop_popen("sim", "intracortical", "--name", name, "--duration", duration_s, "--speed", 4)
    try:
        spikes, info = open_inlet(proc, name + "-spikes")
        assert info.nominal_srate() == 1000
        values, stamps, arrived, wall = measure(spikes, 96, 1.0)
        assert_rate(arrived, stamps, wall, 4000)
        received, last = len(stamps), stamps[-1]
        while True:  # the rest, up to the end of the 20 simulated seconds
            _, ts = spikes.pull_chunk(timeout=2.0, max_samples=100_000)
            if not ts:
                break
            received += len(ts)
            last = ts[-1]
        del spikes
        err = finish(proc, 40)
    finally:
        proc.kill()
    # No gap from the first sample received to the last: one stamp every 0.25 ms.
    assert (last - stamps[0]) * 4000 == pytest.approx(received - 1, abs=4)
    # --duration counts simulated seconds: at most 20 000 samples, where 20 wall seconds at 4x would be 80 000
    # (the inlet connected after the first ones, and pulled at about 4 kHz for a whole second).
    assert (1 - RATE_TOLERANCE) * 4000 <= received <= duration_s * 1000, received
    assert "paced at 4x real time" in err and "for 20.0 s" in err


def test_sim_intracortical_refuses_a_speed_that_is_not_positive():
    proc = spikeloop_popen("sim", "intracortical", "--speed", 0, "--duration", 1)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip().splitlines() == ["spikeloop sim intracortical: --speed: must be finite and > 0, got 0.0"]
