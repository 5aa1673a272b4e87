#!/usr/bin/env bash
# Counts the calls into TorchSharp's native shim (every THS* export of libLibTorchSharp.so) per batch,
# for each contender of the parity benchmark, with uprobes: perf stat over a 3-epoch and a 1-epoch
# run of the same contender, so start-up, data creation and the first epoch's one-off work cancel.
# Needs root and Debian's linux-perf. Usage: benchmarks/native-calls.sh [synthetic|fashion]
set -euo pipefail
cd "$(dirname "$0")/.."
workload="${1:-synthetic}"
dll=benchmarks/TinyDl.Parity/bin/Release/net10.0/TinyDl.Parity.dll
[ -f "$dll" ] || dotnet build -c Release benchmarks/TinyDl.Parity >/dev/null
lib=$(readlink -f benchmarks/TinyDl.Parity/bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so)
command -v perf >/dev/null || { echo "error: perf is missing; apt-get install linux-perf" >&2; exit 1; }

perf probe -q -d 'probe_libLibTorchSharp:*' 2>/dev/null || true
trap 'perf probe -q -d "probe_libLibTorchSharp:*" 2>/dev/null || true' EXIT
# perf probe refuses a wildcard that matches this many functions: add them a hundred at a time.
mapfile -t symbols < <(nm -D --defined-only "$lib" | awk '$2 == "T" && $3 ~ /^THS/ { print $3 }' | sort -u)
for ((i = 0; i < ${#symbols[@]}; i += 100)); do
  args=()
  for symbol in "${symbols[@]:i:100}"; do args+=(-a "$symbol"); done
  perf probe -q -x "$lib" "${args[@]}" 2>/dev/null || true
done

case "$workload" in
  synthetic | fashion) ;;
  *) echo "error: the workload is synthetic or fashion, not '$workload'" >&2; exit 2 ;;
esac

runs=$(mktemp -d)
calls() { # contender epochs -> total native calls; the child's RESULT line goes to $runs/<contender>
  perf stat -x, -e 'probe_libLibTorchSharp:*' -o "$runs/stat" \
    dotnet "$dll" --child "$1" --workload "$workload" --epochs "$2" --warmup 0 2>/dev/null | grep '^RESULT ' >"$runs/$1"
  awk -F, '$1 ~ /^[0-9]+$/ { sum += $1 } END { print sum }' "$runs/stat"
}

echo "| contender ($workload) | batches per epoch | native calls per batch |"
echo "|---|---|---|"
for contender in independent hand tinydl; do
  three=$(calls "$contender" 3)
  one=$(calls "$contender" 1)
  # The batches of one epoch (training + validation), as the benchmark itself reports them.
  batches=$(grep -o '"BatchesPerEpoch":[0-9]*' "$runs/$contender" | cut -d: -f2)
  awk -v c="$contender" -v a="$three" -v b="$one" -v n="$batches" 'BEGIN { printf "| %s | %d | %.1f |\n", c, n, (a - b) / (2 * n) }'
done
rm -rf "$runs"
