"""A minimal GDF writer for the tests: GDF 1.25 and 2.20 files with int16 channels and an event table.

Written from the GDF specification's field layout (Schlögl, "GDF - A general dataformat for
biosignals", 2006-2011): a 256-byte fixed header, 256 bytes per channel stored field by field (all
channels' labels, then all transducers, ...), data records of `samples_per_record` values per channel
(channel after channel), then the event table (mode, rate, count, 1-based positions, type codes, and
for mode 3 channels and durations). All numbers little-endian. Only what the tests need: one data
type (int16, GDFTYP 3), no tag-length-value header, no patient details.
"""

import struct

import numpy as np

INT16 = 3  # GDFTYP of int16


class Channel:
    """One int16 channel: `unit` is GDF 1.x's 8-byte physical dimension text (bytes, e.g. b"\\xb5V" for
    the latin-1 micro sign) or GDF 2.x's physical dimension code (e.g. 4275 for µV)."""

    def __init__(self, label, unit, physical=(-3276.8, 3276.7), digital=(-32768, 32767)):
        self.label = label
        self.unit = unit
        self.physical = physical
        self.digital = digital

    def scale(self):
        """Physical value per digital step, and the offset: physical = digital * gain + offset."""
        gain = (self.physical[1] - self.physical[0]) / (self.digital[1] - self.digital[0])
        return gain, self.physical[0] - self.digital[0] * gain


def write_gdf(path, version, rate_hz, channels, digital, events=(), event_rate_hz=None,
              event_mode=1, records=None):
    """Writes `digital` (int16, samples x channels) as GDF `version` ("1.25" or "2.20") in 1-s records
    of `rate_hz` samples. `events` are (sample_index, type_code[, duration_samples]) with 0-based
    sample indices (written 1-based, as the specification counts). `records` overrides the record
    count the header declares (to write a header that claims more data than the file holds)."""
    digital = np.asarray(digital, dtype="<i2")
    samples, ns = digital.shape
    per_record = int(rate_hz)
    assert samples % per_record == 0, "whole records only"
    n_records = samples // per_record if records is None else records
    gdf2 = version.startswith("2")
    header_bytes = 256 * (ns + 1)

    fixed = bytearray(256)
    fixed[0:8] = f"GDF {version}".encode("ascii")
    if gdf2:
        fixed[8:74] = b"X".ljust(66)
        fixed[88:152] = b"spikeloop test recording".ljust(64)
        struct.pack_into("<H", fixed, 184, header_bytes // 256)
        struct.pack_into("<q", fixed, 236, n_records)
        struct.pack_into("<II", fixed, 244, 1, 1)
        struct.pack_into("<H", fixed, 252, ns)
    else:
        fixed[8:88] = b"X".ljust(80)
        fixed[88:168] = b"spikeloop test recording".ljust(80)
        fixed[168:184] = b"20260101120000" + b"00"
        struct.pack_into("<q", fixed, 184, header_bytes)
        struct.pack_into("<q", fixed, 236, n_records)
        struct.pack_into("<II", fixed, 244, 1, 1)
        struct.pack_into("<I", fixed, 252, ns)

    def field(width, values):
        return b"".join(v.ljust(width, b"\x00")[:width] for v in values)

    labels = field(16, [c.label.encode("latin-1") for c in channels])
    transducers = field(80, [b"Ag/AgCl electrode"] * ns)
    phys_min = struct.pack(f"<{ns}d", *[c.physical[0] for c in channels])
    phys_max = struct.pack(f"<{ns}d", *[c.physical[1] for c in channels])
    n_samp = struct.pack(f"<{ns}i", *[per_record] * ns)
    types = struct.pack(f"<{ns}i", *[INT16] * ns)
    if gdf2:
        variable = b"".join([
            labels, transducers,
            field(6, [b""] * ns),
            struct.pack(f"<{ns}H", *[c.unit for c in channels]),
            phys_min, phys_max,
            struct.pack(f"<{ns}d", *[c.digital[0] for c in channels]),
            struct.pack(f"<{ns}d", *[c.digital[1] for c in channels]),
            field(68, [b""] * ns),
            struct.pack(f"<{ns}f", *[100.0] * ns),  # low-pass
            struct.pack(f"<{ns}f", *[0.5] * ns),  # high-pass
            struct.pack(f"<{ns}f", *[50.0] * ns),  # notch
            n_samp, types,
            bytes(12 * ns),  # electrode positions
            bytes(20 * ns),  # impedance and reserved (version 2.19 and later)
        ])
    else:
        variable = b"".join([
            labels, transducers,
            field(8, [c.unit for c in channels]),
            phys_min, phys_max,
            struct.pack(f"<{ns}q", *[c.digital[0] for c in channels]),
            struct.pack(f"<{ns}q", *[c.digital[1] for c in channels]),
            field(80, [b"HP:0.5Hz LP:100Hz"] * ns),
            n_samp, types,
            bytes(32 * ns),  # reserved
        ])
    assert len(variable) == 256 * ns

    data = bytearray()
    for r in range(samples // per_record):
        block = digital[r * per_record:(r + 1) * per_record]
        for c in range(ns):
            data += block[:, c].tobytes()

    ev_rate = rate_hz if event_rate_hz is None else event_rate_hz
    n = len(events)
    table = bytearray([event_mode])
    if gdf2:
        table += n.to_bytes(3, "little") + struct.pack("<f", ev_rate)
    else:
        table += int(ev_rate).to_bytes(3, "little") + struct.pack("<I", n)
    table += struct.pack(f"<{n}I", *[e[0] + 1 for e in events])
    table += struct.pack(f"<{n}H", *[e[1] for e in events])
    if event_mode == 3:
        table += struct.pack(f"<{n}H", *[0] * n)
        table += struct.pack(f"<{n}I", *[e[2] if len(e) > 2 else 0 for e in events])

    with open(path, "wb") as f:
        f.write(bytes(fixed) + variable + bytes(data) + bytes(table))
