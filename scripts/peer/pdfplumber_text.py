"""Extracts the text of every PDF named by a ground-truth JSONL file with pdfplumber, the text
layer a Python user would otherwise pick, and writes a truth file naming the .txt files instead.

    python pdfplumber_text.py TRUTH.jsonl OUT_DIR

Prints one JSON line: files, failures, and extraction seconds per CV (median, mean, max).
"""
import json
import pathlib
import statistics
import sys
import time

import pdfplumber


def main() -> None:
    truth_path, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    lines, times, failures = [], [], 0
    for i, raw in enumerate(truth_path.read_text(encoding="utf-8").splitlines()):
        if not raw.strip():
            continue
        truth = json.loads(raw)
        src = truth_path.parent / truth["file"]
        if src.suffix.lower() != ".pdf" or not src.is_file():
            continue
        started = time.perf_counter()
        try:
            with pdfplumber.open(src) as pdf:
                text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        except Exception as e:  # a peer's failure counts as an empty document
            print(f"pdfplumber failed on {src}: {e}", file=sys.stderr)
            text, failures = "", failures + 1
        times.append(time.perf_counter() - started)
        dest = out_dir / f"{i:03d}-{src.stem}.txt"
        dest.write_text(text, encoding="utf-8")
        truth["file"] = dest.name
        lines.append(json.dumps(truth, ensure_ascii=False))
    (out_dir / "truth.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({
        "files": len(times),
        "failures": failures,
        "seconds_per_cv": {
            "median": statistics.median(times) if times else 0,
            "mean": statistics.mean(times) if times else 0,
            "max": max(times, default=0),
        },
    }))


if __name__ == "__main__":
    main()
