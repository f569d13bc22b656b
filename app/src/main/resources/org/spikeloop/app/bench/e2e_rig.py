"""One rig of `spikeloop bench e2e --rigs external`, a process of its own as a rig is a machine of its own.

A pylsl float32 outlet named --name with --channels channels at --rate Hz. Once a consumer (the session's
inlet) is connected it pushes one sample of random spikes (probability --p per channel) every 1/rate s on
absolute deadlines of the LSL clock, each stamped with local_clock() just before its push. It prints "ready"
when the outlet exists. On a line "stop" (the window is over) it stops pushing and prints "pushed N", and keeps
its outlet open until its stdin closes, so the samples still on their way reach the session while the benchmark
counts them (an outlet destroyed at once would drop them, and they would count as lost). EOF alone does both.
"""

import argparse
import ctypes
import random
import sys
import threading
import time

import pylsl
from pylsl.util import handle_error  # what StreamOutlet.push_sample checks its call with


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--channels", type=int, required=True)
    p.add_argument("--rate", type=float, required=True)
    p.add_argument("--p", type=float, default=0.02)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    try:  # wake from sleeps when asked (Linux's default timer slack is 50 us), as the server's threads do
        ctypes.CDLL(None).prctl(29, 1000, 0, 0, 0)  # PR_SET_TIMERSLACK, 1 us
    except (OSError, AttributeError):
        pass
    outlet = pylsl.StreamOutlet(pylsl.StreamInfo(a.name, "Spikes", a.channels, a.rate, "float32", a.name))
    stop = threading.Event()
    released = threading.Event()

    def watch_stdin():
        sys.stdin.readline()  # "stop", or "" at EOF
        stop.set()
        sys.stdin.read()  # EOF: the benchmark has counted what arrived
        released.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    rng = random.Random(a.seed)
    rows = [[1.0 if rng.random() < a.p else 0.0 for _ in range(a.channels)] for _ in range(1000)]
    # The rows as the C arrays liblsl takes, built once: push_sample converts its list on every call
    # (about 14 us of Python per sample here), CPU sixteen rigs on the server's cores would take from it.
    arrays = [outlet.sample_type(*row) for row in rows]
    print("ready", flush=True)
    while not stop.is_set() and not outlet.wait_for_consumers(0.1):
        pass
    period = 1.0 / a.rate
    next_t = pylsl.local_clock()
    pushed = 0
    while not stop.is_set():
        next_t += period
        wait = next_t - pylsl.local_clock()
        if wait > 0:
            time.sleep(wait)
        stamp = ctypes.c_double(pylsl.local_clock())
        handle_error(outlet.do_push_sample(outlet.obj, arrays[pushed % len(arrays)], stamp, ctypes.c_int(1)))
        pushed += 1
    print(f"pushed {pushed}", flush=True)
    released.wait()


if __name__ == "__main__":
    main()
