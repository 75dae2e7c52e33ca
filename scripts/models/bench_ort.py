#!/usr/bin/env python3
"""onnxruntime side of scripts/bench-inference.sh: same model file, same token ids as the
tract bench; prints one JSON line.

    bench_ort.py MODEL.onnx IDS.json THREADS [TRACT_VECTORS.json]
"""
import json
import resource
import sys
import time

import numpy as np
import onnxruntime as ort

model, ids_path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
ids = json.load(open(ids_path))

t = time.perf_counter()
opts = ort.SessionOptions()
opts.intra_op_num_threads = threads
opts.inter_op_num_threads = 1
sess = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
load_s = time.perf_counter() - t


def embed(batch):
    s = max(len(x) for x in batch)
    a = np.ones((len(batch), s), dtype=np.int64)  # <pad> = 1
    m = np.zeros_like(a)
    for i, x in enumerate(batch):
        a[i, : len(x)] = x
        m[i, : len(x)] = 1
    h = sess.run(["last_hidden_state"], {"input_ids": a, "attention_mask": m, "token_type_ids": np.zeros_like(a)})[0]
    v = (h * m[..., None]).sum(1) / m.sum(1, keepdims=True)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def median_ms(runs, f):
    f()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1e3)
    return sorted(times)[len(times) // 2]


short, long = ids["short"], ids["long"]
out = {
    "engine": "onnxruntime " + ort.__version__,
    "model": model.rsplit("/", 1)[-1],
    "threads": threads,
    "load_s": round(load_s, 2),
    "ms_1x20": round(median_ms(9, lambda: embed(short[:1])), 1),
    "ms_1x256": round(median_ms(5, lambda: embed(long[:1])), 1),
    "ms_32x20": round(median_ms(5, lambda: embed(short)), 1),
    "ms_32x256": round(median_ms(3, lambda: embed(long)), 1),
    "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}
if len(sys.argv) > 4:
    tract = np.array(json.load(open(sys.argv[4])), dtype=np.float32)
    out["max_abs_diff_vs_tract"] = float(np.abs(embed(short[: len(tract)]) - tract).max())
print(json.dumps(out))
