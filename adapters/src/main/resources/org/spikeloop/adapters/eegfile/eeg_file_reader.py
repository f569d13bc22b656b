"""Reads a GDF, EDF or BDF recording with MNE for `spikeloop import eeg` and `spikeloop replay`.

Usage: python eeg_file_reader.py FILE FORMAT OUTDIR   (FORMAT: GDF, EDF or BDF)

Writes OUTDIR/signal.f32 (float32 little-endian, row-major: sample 0's channels, then sample 1's, ...)
and OUTDIR/header.json (channels with label, type and unit; rate; sample count; markers with their
onset in seconds from the first sample; notes on what was corrected or left out). The Java side
(org.spikeloop.adapters.eegfile.EegFileReader) reads them and writes the XDF.

Exit codes: 0 written; 2 the file cannot be read as FORMAT (one line on stderr, nothing written);
3 this Python lacks MNE or has an MNE whose internals this script does not know (one line).

Units. Voltage channels are converted to microvolts. The unit is taken from the file's own header,
not from MNE's scaling: MNE 1.13's GDF 1.x reader scales a channel by 1e-6 only when its physical
dimension starts with "uV", so a channel in "µV" (the latin-1 micro sign, as GDF 1.x writers put
it) or in "mV" comes back a million (a thousand) times too large; its GDF 2.x reader knows only µV
and mV among the voltage codes. So each channel's values are divided by the factor MNE applied
(its reader's per-channel `units` array, the one its read loop multiplies by) to get the file's
physical values back, then multiplied by the factor from the file's unit to µV. Channels in other
units keep the file's physical values and unit.

Time. Markers are stamped in seconds from the first sample. EDF+/BDF+ annotations come from MNE
(its onsets are relative to the first sample). GDF events come from the file's event table, read
here: a position counts samples at the table's own rate, which MNE ignores (it divides by the
signal's rate and then drops events that land past the data's end); the type code becomes the text.
"""

import hashlib
import json
import math
import os
import socket
import struct
import sys

import numpy as np

# GDF data type code -> bytes per value (GDF 2.x specification, table of GDFTYP; 1..18 only).
GDF_TYPE_BYTES = {1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 8, 8: 8, 16: 4, 17: 8, 18: 16}
# SI prefix of a unit text -> factor from that prefix's volts to microvolts.
VOLT_PREFIX_TO_UV = {"": 1e6, "m": 1e3, "u": 1.0, "\u00b5": 1.0, "\u03bc": 1.0, "n": 1e-3}
# GDF 2.x physical-dimension codes: volts are 4256 plus a decimal-factor code in the low 5 bits
# (biosig's units.csv and DecimalFactors.txt); factor code -> (unit text, factor to microvolts).
GDF_VOLT_BASE = 4256
GDF_VOLT_FACTORS = {
    0: ("V", 1e6),
    16: ("dV", 1e5),
    17: ("cV", 1e4),
    18: ("mV", 1e3),
    19: ("\u00b5V", 1.0),
    20: ("nV", 1e-3),
    21: ("pV", 1e-6),
}
# Stream unit text for converted channels: the XDF meta-data convention's spelling of µV.
MICROVOLTS = "microvolts"


class InputError(Exception):
    """The file cannot be read as the format asked for: one line for the user, exit 2."""


class EnvironmentProblem(Exception):
    """MNE is missing or unknown to this script: one line for the user, exit 3."""


def fail(code, message):
    sys.stderr.write(message.replace("\n", " ") + "\n")
    sys.exit(code)


def main(argv):
    if len(argv) != 4 or argv[2] not in ("GDF", "EDF", "BDF"):
        fail(2, "usage: eeg_file_reader.py FILE GDF|EDF|BDF OUTDIR")
    path, fmt, outdir = argv[1], argv[2], argv[3]
    name = os.path.basename(path)
    try:
        header = file_layout(path, fmt)
        try:
            import mne
        except ImportError as e:
            raise EnvironmentProblem(
                f"MNE is not installed in {sys.executable} ({e}); "
                "clients/python/setup-venv.sh installs it") from e
        raw = read_with_mne(mne, path, fmt)
        content = convert(mne, raw, fmt, header)
    except InputError as e:
        fail(2, f"cannot read {name} as {fmt}: {e}")
    except EnvironmentProblem as e:
        fail(3, str(e))
    write(outdir, path, fmt, header, content, mne.__version__)


def file_layout(path, fmt):
    """Checks the fixed and channel headers the format specifies and that the file holds the data
    they declare; returns the fields this script needs (format version, GDF units and event rate)."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            fixed = f.read(256)
            if len(fixed) < 256:
                raise InputError(f"the file holds {size} bytes, less than the 256-byte fixed header")
            if fmt == "GDF":
                return gdf_layout(f, fixed, size)
            return edf_layout(f, fixed, size, fmt)
    except OSError as e:
        raise InputError(e.strerror or str(e)) from e


def edf_layout(f, fixed, size, fmt):
    magic = b"0       " if fmt == "EDF" else b"\xffBIOSEMI"
    if fixed[:8] != magic:
        raise InputError(f"it does not start with {fmt}'s identification {magic!r} but {fixed[:8]!r}")
    header_bytes = ascii_int(fixed[184:192], "header size")
    records = ascii_int(fixed[236:244], "number of data records")
    ns = ascii_int(fixed[252:256], "number of signals")
    if ns < 1 or header_bytes != 256 * (ns + 1):
        raise InputError(f"header size {header_bytes} does not fit {ns} signals")
    channel_header = f.read(256 * ns)
    if len(channel_header) < 256 * ns:
        raise InputError(f"the file ends inside the header ({size} of {header_bytes} bytes)")
    first = 216 * ns  # samples per record: 8 ASCII characters per signal after 216 bytes per signal
    per_record = [ascii_int(channel_header[first + 8 * i:first + 8 * i + 8], "samples per record")
                  for i in range(ns)]
    record_bytes = sum(per_record) * (2 if fmt == "EDF" else 3)
    check_size(size, header_bytes, records, record_bytes)
    return {"version": fmt}


def gdf_layout(f, fixed, size):
    if fixed[:4] != b"GDF ":
        raise InputError(f"it does not start with GDF's identification b'GDF ' but {fixed[:8]!r}")
    try:
        version = float(fixed[4:8].decode("ascii"))
    except ValueError as e:
        raise InputError(f"version {fixed[:8]!r} is not GDF n.nn") from e
    records = struct.unpack_from("<q", fixed, 236)[0]
    if version < 1.9:
        header_bytes = struct.unpack_from("<q", fixed, 184)[0]
        ns = struct.unpack_from("<I", fixed, 252)[0]
    else:
        header_bytes = struct.unpack_from("<H", fixed, 184)[0] * 256
        ns = struct.unpack_from("<H", fixed, 252)[0]
    if ns < 1 or header_bytes < 256 * (ns + 1):
        raise InputError(f"header size {header_bytes} does not fit {ns} signals")
    ch = f.read(256 * ns)
    if len(ch) < 256 * ns:
        raise InputError(f"the file ends inside the header ({size} of {header_bytes} bytes)")
    per_record = struct.unpack_from(f"<{ns}i", ch, 216 * ns)
    types = struct.unpack_from(f"<{ns}I", ch, 220 * ns)
    unknown = sorted({t for t in types if t not in GDF_TYPE_BYTES})
    if unknown:
        raise InputError(f"data type codes {unknown} are not supported")
    record_bytes = sum(n * GDF_TYPE_BYTES[t] for n, t in zip(per_record, types))
    check_size(size, header_bytes, records, record_bytes)
    if version < 1.9:
        raw_units = [ch[96 * ns + 8 * i:96 * ns + 8 * i + 8] for i in range(ns)]
        units = [u.decode("latin-1").split("\x00")[0].strip() for u in raw_units]
    else:
        codes = struct.unpack_from(f"<{ns}H", ch, 102 * ns)
        units = [gdf_unit_code(c) for c in codes]
    event_rate, events = (gdf_events(f, header_bytes + records * record_bytes, version)
                          if records >= 0 else (None, []))
    return {"version": f"GDF {version:.2f}", "units": units, "event_rate_hz": event_rate,
            "events": events}


def gdf_unit_code(code):
    if code & 0xFFE0 == GDF_VOLT_BASE and code & 0x1F in GDF_VOLT_FACTORS:
        return GDF_VOLT_FACTORS[code & 0x1F][0]
    return "" if code in (0, 512) else f"GDF unit code {code}"


def gdf_events(f, offset, version):
    """The event table after the data: (rate in Hz or None when it states 0, [(position, type code)])
    with positions 0-based; no table gives (None, [])."""
    f.seek(offset)
    head = f.read(8)
    if len(head) < 8:
        return None, []
    mode = head[0]
    if version < 1.94:
        rate = head[1] | head[2] << 8 | head[3] << 16
        n = struct.unpack_from("<I", head, 4)[0]
    else:
        n = head[1] | head[2] << 8 | head[3] << 16
        rate = struct.unpack_from("<f", head, 4)[0]
    if mode not in (1, 3):
        raise InputError(f"event table mode {mode} is neither 1 nor 3")
    body = f.read(6 * n)
    if len(body) < 6 * n:
        raise InputError(f"the event table declares {n} events but the file ends before them")
    positions = struct.unpack_from(f"<{n}I", body, 0)
    types = struct.unpack_from(f"<{n}H", body, 4 * n)
    rate = float(rate) if rate > 0 and math.isfinite(rate) else None
    return rate, [(p - 1, t) for p, t in zip(positions, types)]


def ascii_int(field, what):
    try:
        return int(field.decode("ascii").strip())
    except ValueError as e:
        raise InputError(f"header field '{what}' is not a number: {field!r}") from e


def check_size(size, header_bytes, records, record_bytes):
    if records < 0:  # EDF/BDF written while recording (-1): MNE counts the whole records present
        return
    needed = header_bytes + records * record_bytes
    if size < needed:
        raise InputError(
            f"the file is truncated: its header declares {records} data records "
            f"({needed} bytes) but it holds {size} bytes")


def read_with_mne(mne, path, fmt):
    readers = {"GDF": mne.io.read_raw_gdf, "EDF": mne.io.read_raw_edf, "BDF": mne.io.read_raw_bdf}
    try:
        return readers[fmt](path, preload=True, verbose="error")
    except Exception as e:  # MNE raises many types for unreadable input; each becomes the one line
        raise InputError(f"MNE: {type(e).__name__}: {e}") from e


def mne_scales(raw):
    """The per-channel factor MNE multiplied the file's physical values by (to volts for the units it
    knows, 1 otherwise); MNE 1.13 keeps it as `units` in the reader's extras."""
    extras = getattr(raw, "_raw_extras", None)
    scales = extras[0].get("units") if extras else None
    if scales is None or len(scales) != len(raw.ch_names):
        import mne
        raise EnvironmentProblem(
            f"MNE {mne.__version__} does not keep the per-channel scaling this reader corrects "
            "units with; use the version pinned in clients/python/requirements.txt")
    return np.asarray(scales, dtype=float)


def convert(mne, raw, fmt, header):
    types = raw.get_channel_types()
    stim = [i for i, t in enumerate(types) if t == "stim"]
    picks = [i for i, t in enumerate(types) if t != "stim"]
    if not picks:
        raise InputError("it holds no signal channels (only stim channels)")
    scales = mne_scales(raw)
    if fmt == "GDF":
        file_units = header["units"]
        if len(file_units) != len(raw.ch_names):
            raise EnvironmentProblem(
                f"MNE {mne.__version__} returned {len(raw.ch_names)} channels for a header of "
                f"{len(file_units)}")
    else:
        file_units = [raw._orig_units.get(n, "") for n in raw.ch_names]
    data = raw.get_data(picks=picks)
    channels, notes = [], []
    out = np.empty((len(picks), data.shape[1]), dtype=np.float32)
    for row, i in enumerate(picks):
        unit = file_units[i]
        physical = data[row] / scales[i]
        to_uv = volts_to_microvolts(unit)
        if to_uv is None:
            out[row] = physical
            notes.append(f"{raw.ch_names[i]}: unit '{unit}' is not a voltage; values kept in it")
        else:
            out[row] = physical * to_uv
            if not math.isclose(scales[i], to_uv * 1e-6, rel_tol=1e-9):
                notes.append(
                    f"{raw.ch_names[i]}: the file says '{unit}' but MNE {mne.__version__} scaled it "
                    f"by {scales[i]:g} to volts; converted from '{unit}' to microvolts instead")
        channels.append({
            "label": raw.ch_names[i],
            "type": types[i].upper(),
            "unit": MICROVOLTS if to_uv is not None else unit,
        })
    rate = float(raw.info["sfreq"])
    markers = annotation_markers(raw, header, rate, fmt)
    for i in stim:
        events = mne.find_events(raw, stim_channel=raw.ch_names[i], consecutive=True,
                                 shortest_event=1, initial_event=True, verbose="error")
        markers += [(int(s - raw.first_samp) / rate, str(int(code))) for s, _, code in events]
        notes.append(f"{raw.ch_names[i]}: stim channel left out of the signal; "
                     f"its {len(events)} events are markers")
    markers.sort(key=lambda m: m[0])
    return {"channels": channels, "rate": rate, "signal": out, "markers": markers, "notes": notes,
            "meas_date": raw.info["meas_date"]}


def volts_to_microvolts(unit):
    """Factor from `unit` to microvolts, or None when `unit` is not a voltage."""
    u = unit.strip()
    if not u.endswith("V") or len(u) > 2:
        return None
    return VOLT_PREFIX_TO_UV.get(u[:-1])


def annotation_markers(raw, header, rate, fmt):
    if fmt == "GDF":
        # From the file's event table (read in gdf_events): MNE divides positions by the signal's rate
        # even when the table states its own, and drops events its onsets put past the data's end.
        event_rate = header["event_rate_hz"] or rate
        return [(pos / event_rate, str(code)) for pos, code in header["events"]]
    ann = raw.annotations
    # Onsets relative to the first sample: MNE's annotations count from orig_time when it is set,
    # and from the first sample otherwise.
    shift = raw.first_time if ann.orig_time is not None else 0.0
    onsets = np.asarray(ann.onset, dtype=float) - shift
    return [(float(t), str(d)) for t, d in zip(onsets, ann.description)]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write(outdir, path, fmt, header, content, mne_version):
    signal = content["signal"]
    # Row-major samples x channels, float32 little-endian: what an XDF float32 Samples chunk holds.
    np.ascontiguousarray(signal.T).astype("<f4").tofile(os.path.join(outdir, "signal.f32"))
    date = content["meas_date"]
    doc = {
        "file": os.path.basename(path),
        "format": header["version"],
        "reader": f"mne {mne_version}",
        "sha256": sha256(path),
        "hostname": socket.gethostname(),
        "meas_date": date.isoformat() if date is not None else None,
        "sampling_rate_hz": content["rate"],
        "samples": int(signal.shape[1]),
        "channels": content["channels"],
        "markers": [{"onset_s": t, "text": text} for t, text in content["markers"]],
        "notes": content["notes"],
    }
    with open(os.path.join(outdir, "header.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv)
