#!/usr/bin/env bash
# Step latency, Spikeloop vs the PyTorch peer, side by side in one run: inference (issue 2) and
# inference + e-prop bookkeeping (issue 4). Runs ../shared/bench/torch_step.py (torch in-place,
# 1 torch thread / 1 BLAS thread), then `spikeloop bench step` (with and without --eprop) for LIF
# and ALIF at 256 and 1024 neurons, and prints the p99 ratios (torch p99 / spikeloop p99; the peer
# has no ALIF, so ALIF rows are compared with torch LIF).
#
# Environment: STEPS (timed steps per Spikeloop config, default 20000 = the peer's N),
#   TORCH_STEP (path of torch_step.py), SPIKELOOP (launcher, default ./spikeloop), OUT_DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer="${TORCH_STEP:-$root/../shared/bench/torch_step.py}"
spikeloop="${SPIKELOOP:-$root/spikeloop}"
steps="${STEPS:-20000}"
out_dir="${OUT_DIR:-$(mktemp -d -t step-vs-torch.XXXXXX)}"
mkdir -p "$out_dir"

pkgs=(python3-torch python3-numpy python3-threadpoolctl)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "step-vs-torch: installing ${missing[*]}" >&2
  if ! apt-get install -y "${missing[@]}" >&2; then
    apt-get update >&2
    apt-get install -y "${missing[@]}" >&2
  fi
fi
[[ -f "$peer" ]] || { echo "step-vs-torch: peer not found: $peer" >&2; exit 1; }

echo "step-vs-torch: $(date -Is), load $(cut -d' ' -f1-3 /proc/loadavg), results in $out_dir" >&2
echo "step-vs-torch: PyTorch peer..." >&2
(cd "$(dirname "$peer")" && /usr/bin/python3 "$peer" --threads 1/1 --hs 256,1024 \
    --impls "torch in-place" --no-bptt --n "$steps" --out "$out_dir/torch_step.md") | tee "$out_dir/torch.log" >&2

for mode in inference eprop; do
  flag=()
  # e-prop rows: each probe sample busy-waits the p50 step time (the "probe of the same length").
  [[ "$mode" == eprop ]] && flag=(--eprop --probe-spin-us 0)
  for model in lif alif; do
    for h in 256 1024; do
      echo "step-vs-torch: spikeloop bench step --model $model --hidden $h --steps $steps ${flag[*]}" >&2
      "$spikeloop" bench step --model "$model" --inputs 96 --hidden "$h" --outputs 2 \
          --steps "$steps" "${flag[@]}" --json > "$out_dir/spikeloop-$mode-$model-$h.json"
      cat "$out_dir/spikeloop-$mode-$model-$h.json" >&2
    done
  done
done

/usr/bin/python3 - "$out_dir" <<'PY'
import json, re, sys, pathlib
d = pathlib.Path(sys.argv[1])
torch = {}
for line in (d / "torch.log").read_text().splitlines():
    m = re.match(r"torch in-place\s+H=\s*(\d+) eprop=(True|False)\s.*p50=\s*([\d.]+) p99=\s*([\d.]+) "
                 r"p99\.9=\s*([\d.]+) max=\s*([\d.]+).*>1ms=\s*(\d+) rate=\s*([\d.]+)Hz", line)
    if m:
        mode = "eprop" if m.group(2) == "True" else "inference"
        torch[(mode, int(m.group(1)))] = dict(
            p50=float(m.group(3)), p99=float(m.group(4)), p999=float(m.group(5)),
            max=float(m.group(6)), over=int(m.group(7)), rate=float(m.group(8)))
for mode in ("inference", "eprop"):
    print(f"\n{mode}:\n")
    print("| config | torch in-place LIF p50 / p99 / max µs, >1 ms | spikeloop p50 / p99 / p99.9 / max µs, >1 ms "
          "| spikeloop B/step | rate Hz (torch / spikeloop) | probe p99 µs, >1 ms | p99 ratio torch/spikeloop |")
    print("|---|---|---|---|---|---|---|")
    for model in ("lif", "alif"):
        for h in (256, 1024):
            s = json.loads((d / f"spikeloop-{mode}-{model}-{h}.json").read_text())
            t = torch.get((mode, h))
            if t is None:
                print(f"| {model} H={h} | missing | | | | | |")
                continue
            ratio = t["p99"] / s["p99_us"]
            label = f"{model.upper()} H={h}" + (f" W={s['eprop_window']}" if s.get("eprop_window") else "")
            print(f"| {label} | {t['p50']:.1f} / {t['p99']:.1f} / {t['max']:.0f}, {t['over']} | "
                  f"{s['p50_us']:.2f} / {s['p99_us']:.2f} / {s['p999_us']:.2f} / {s['max_us']:.0f}, {s['over_1ms']} | "
                  f"{s['alloc_bytes_per_step']:.3f} | {t['rate']:.1f} / {s['rate_hz']:.1f} | "
                  f"{s['probe_p99_us']:.1f}, {s['probe_over_1ms']} | {ratio:.1f}× |")
PY
