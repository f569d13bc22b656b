"""One rig of `spikeloop bench e2e --rigs external`, a process of its own as a rig is a machine of its own.

A pylsl float32 outlet named --name with --channels channels at --rate Hz. Once a consumer (the session's
inlet) is connected it pushes one sample of random spikes (probability --p per channel) every 1/rate s on
absolute deadlines of the LSL clock, each stamped with local_clock() just before its push. It prints "ready"
when the outlet exists; when its stdin closes (the benchmark is done) it prints "pushed N" and exits.
"""

import argparse
import ctypes
import random
import sys
import threading
import time

import pylsl


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

    def watch_stdin():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    rng = random.Random(a.seed)
    rows = [[1.0 if rng.random() < a.p else 0.0 for _ in range(a.channels)] for _ in range(1000)]
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
        outlet.push_sample(rows[pushed % len(rows)], pylsl.local_clock())
        pushed += 1
    print(f"pushed {pushed}", flush=True)


if __name__ == "__main__":
    main()
