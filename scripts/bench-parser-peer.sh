#!/usr/bin/env bash
# The CV parser against a peer, in one run, on the same ground truth and the same scorer:
#   vivier   - the bundled cv-parser on the PDFs themselves (sandboxed, as `serve` runs it);
#   peer     - pdfplumber's text layer (PyPI), then the same field extraction and scoring
#              (`vivier eval parse` on the extracted .txt files).
# So the columns differ only in how the PDF's text is read.
#
#   scripts/bench-parser-peer.sh [TRUTH.jsonl]     (default: ../shared/corpus/cv-ground-truth.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
TRUTH="${1:-../shared/corpus/cv-ground-truth.jsonl}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/vivier/peer"
VENV="$CACHE/venv"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

echo "== building vivier (release)" >&2
# The same build as the README's test command, so nothing is rebuilt with other features.
cargo test --release --workspace --no-run -q
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import pdfplumber" 2>/dev/null || "$VENV/bin/python" -m pip install --disable-pip-version-check -q "pdfplumber==0.11.*" >&2
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== peer: pdfplumber $("$VENV/bin/python" -c 'import pdfplumber; print(pdfplumber.__version__)') text extraction" >&2
"$VENV/bin/python" scripts/peer/pdfplumber_text.py "$TRUTH" "$OUT/peer" | tee "$OUT/peer-time.json"
echo "== vivier on the PDFs" >&2
./target/release/vivier eval parse --truth "$TRUTH" | tee "$OUT/vivier.txt"
echo "== vivier's field extraction on pdfplumber's text" >&2
./target/release/vivier eval parse --truth "$OUT/peer/truth.jsonl" | tee "$OUT/peer.txt"
