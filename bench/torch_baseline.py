#!/usr/bin/env python3
"""PyTorch baselines at the paper's layer configs, written as a blr-feed/1 document (docs/feed.md).

Times, on one CUDA GPU:
  dense     F.linear (cuBLAS; f32 with TF32 off)                      implementation cublas
  Monarch   the paper's torch_monarch_baseline semantics, eager       torch-eager
  BLAST     the paper's torch_blast_baseline semantics, eager         torch-eager
  Monarch and BLAST under torch.compile                               torch-compile
Before timing, the eager Monarch and BLAST functions are checked in float64 against dense
matrices built independently from their factors. Each point is the median of CUDA-event timings
of single calls, with the L2 cache flushed before each call (as triton.testing.do_bench does) and
the input rotated among several X buffers. Progress goes to stderr. Needs torch only.

  python3 bench/torch_baseline.py --preset llama-7b --tokens 1,16,128,1024,4096 --dtype f32,bf16 --out feed.json
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import sys
from datetime import datetime, timezone

import torch
import torch.nn.functional as F

# configs/layers/*.yaml of pabillam/mem-efficient-blr (arXiv:2512.20861), as src/lib/presets:
# (layer id, in features n, out features m, Monarch (b, R) or None, BLAST (b, r))
VIT_B_LAYERS = [
    ("attn_qkv", 768, 2304, (4, 128), (3, 128)),
    ("mlp_fc1", 768, 3072, (4, 128), (3, 128)),
    ("mlp_fc2", 3072, 768, (4, 128), (3, 128)),
]
PRESETS = {
    "llama-7b": [
        ("qkvo_proj", 4096, 4096, (16, 1024), (16, 1024)),
        ("gate_up_proj", 4096, 11008, (16, 1536), (16, 1488)),
        ("down_proj", 11008, 4096, (16, 1536), (16, 1488)),
    ],
    "llama-1b": [
        ("qo_proj", 2048, 2048, (16, 256), (16, 256)),
        ("gate_proj", 2048, 8192, (16, 512), (16, 512)),
        ("up_proj", 2048, 8192, (16, 768), (16, 768)),
        ("down_proj", 8192, 2048, (16, 768), (16, 768)),
    ],
    "gpt2-s": [
        ("c_attn", 768, 2304, (4, 192), (6, 192)),
        ("mlp_c_fc", 768, 3072, (4, 192), (6, 192)),
        ("mlp_c_proj", 3072, 768, (4, 192), (6, 192)),
    ],
    "dit-xl-2": [
        ("qkv_proj", 1152, 3456, None, (9, 384)),
        ("fc1", 1152, 4608, None, (9, 256)),
        ("adaln", 1152, 6912, None, (9, 256)),
    ],
    "vit-b-16": VIT_B_LAYERS,
    "vit-b-8": VIT_B_LAYERS,
}

DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}
DEVICE_KINDS = ["datacenter-gpu", "edge-gpu", "desktop-gpu", "laptop-gpu", "integrated-gpu", "unknown"]
L2_FLUSH_BYTES = 256 * 2**20


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def monarch_eager(x: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor) -> torch.Tensor:
    """Y (T, m) for x (T, n), w1 (b, R, n/b), w2 (b, m/b, R), as torch_monarch_baseline computes it."""
    tokens = x.shape[0]
    blocks, rank, _ = w1.shape
    xb = x.view(tokens, blocks, -1).transpose(0, 1)  # (b, T, n/b), a view
    z = torch.bmm(xb, w1.transpose(1, 2))  # (b, T, R)
    # Monarch permutation: stage-2 block j takes, of a token's b·R values, those with index ≡ j (mod b).
    z = z.transpose(0, 1).reshape(tokens, rank, blocks).transpose(1, 2).contiguous().transpose(0, 1)
    out = torch.bmm(z, w2.transpose(1, 2))  # (b, T, m/b)
    return out.permute(1, 2, 0).reshape(tokens, -1)  # interleaved: Y[t, s·b + j] = out[j, t, s]


def blast_eager(x: torch.Tensor, u: torch.Tensor, vt: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
    """Y (T, m) for x (T, n), u (b, m/b, r), vt (b, r, n/b), s (b, b, r), as torch_blast_baseline computes it.

    s[i, j] couples output block i with input block j."""
    tokens = x.shape[0]
    blocks = u.shape[0]
    xb = x.view(tokens, blocks, -1).transpose(0, 1)  # (b, T, n/b)
    y = torch.bmm(xb, vt.transpose(1, 2))  # (b, T, r): y_j = x_j · V_j
    z = (s.unsqueeze(2) * y.unsqueeze(0)).sum(1)  # (b, T, r): z_i = Σ_j s_ij ⊙ y_j
    out = torch.bmm(z, u.transpose(1, 2))  # (b, T, m/b)
    return out.transpose(0, 1).reshape(tokens, -1)  # output blocks contiguous


def monarch_dense(w1: torch.Tensor, w2: torch.Tensor) -> torch.Tensor:
    """W (m, n) with W[si·b + j, k·p + pi] = Σ_{qi ≡ j (mod b)} w2[j, si, k·R/b + qi//b] · w1[k, qi, pi]."""
    blocks, rank, p = w1.shape
    out_block = w2.shape[1]
    w = torch.zeros(out_block * blocks, blocks * p, dtype=w1.dtype, device=w1.device)
    for j in range(blocks):
        for si in range(out_block):
            for k in range(blocks):
                for qi in range(j, rank, blocks):
                    w[si * blocks + j, k * p : (k + 1) * p] += w2[j, si, k * rank // blocks + qi // blocks] * w1[k, qi]
    return w


def blast_dense(u: torch.Tensor, vt: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
    """W (m, n) from its blocks W_ij = U_i · diag(s_ij) · V_jᵀ."""
    blocks, out_block, _ = u.shape
    in_block = vt.shape[2]
    return torch.einsum("iak,ijk,jkc->iajc", u, s, vt).reshape(blocks * out_block, blocks * in_block)


def rel_err(got: torch.Tensor, want: torch.Tensor) -> float:
    return ((got.double() - want.double()).norm() / want.double().norm()).item()


def check_semantics(device: torch.device) -> None:
    """The eager functions equal the dense matrices their factors define, in float64."""
    g = torch.Generator(device="cpu").manual_seed(0)

    def rand(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g, dtype=torch.float64).to(device)

    for tokens, n, m, blocks, rank in [(5, 24, 40, 4, 8), (3, 18, 12, 3, 6)]:
        x = rand(tokens, n)
        w1, w2 = rand(blocks, rank, n // blocks), rand(blocks, m // blocks, rank)
        err = rel_err(monarch_eager(x, w1, w2), x @ monarch_dense(w1, w2).T)
        assert err < 1e-6, f"Monarch eager differs from its dense equivalent: relErr {err:.3e} at T={tokens} n={n} m={m} b={blocks} R={rank}"
        u, vt, s = rand(blocks, m // blocks, rank), rand(blocks, rank, n // blocks), rand(blocks, blocks, rank)
        err = rel_err(blast_eager(x, u, vt, s), x @ blast_dense(u, vt, s).T)
        assert err < 1e-6, f"BLAST eager differs from its dense equivalent: relErr {err:.3e} at T={tokens} n={n} m={m} b={blocks} r={rank}"
    log("semantics: Monarch and BLAST eager equal their dense equivalents in float64 (relErr < 1e-6)")


class Timer:
    """Median and spread of single-call CUDA-event timings, L2 flushed before each call."""

    def __init__(self, warmup: int, reps: int):
        self.warmup = warmup
        self.reps = reps
        self.flush = torch.empty(L2_FLUSH_BYTES, dtype=torch.int8, device="cuda")

    def time(self, fn, inputs: list) -> dict:
        for i in range(self.warmup):
            fn(inputs[i % len(inputs)])
        starts = [torch.cuda.Event(enable_timing=True) for _ in range(self.reps)]
        ends = [torch.cuda.Event(enable_timing=True) for _ in range(self.reps)]
        for i in range(self.reps):
            self.flush.zero_()
            starts[i].record()
            fn(inputs[i % len(inputs)])
            ends[i].record()
        torch.cuda.synchronize()
        ms = sorted(s.elapsed_time(e) for s, e in zip(starts, ends))
        deciles = statistics.quantiles(ms, n=10)
        return {"medianMs": statistics.median(ms), "p10Ms": deciles[0], "p90Ms": deciles[-1], "samples": self.reps}


def random_factors(n: int, m: int, monarch, blast, dtype: torch.dtype) -> dict:
    """Weights with unit-scale outputs (randn / sqrt(fan-in)), so bf16 neither overflows nor underflows."""

    def rand(*shape: int, fan_in: int) -> torch.Tensor:
        return (torch.randn(*shape, device="cuda") / fan_in**0.5).to(dtype)

    factors = {"dense": (rand(m, n, fan_in=n),)}
    if monarch:
        b, rank = monarch
        factors["monarch"] = (rand(b, rank, n // b, fan_in=n // b), rand(b, m // b, rank, fan_in=rank))
    b, rank = blast
    factors["blast"] = (rand(b, m // b, rank, fan_in=rank * b), rand(b, rank, n // b, fan_in=n // b), rand(b, b, rank, fan_in=1))
    return factors


def flops_of(kind: str, tokens: int, n: int, m: int, knobs) -> int:
    if kind == "dense":
        return 2 * tokens * m * n
    b, rank = knobs
    return 2 * tokens * rank * (n + m + (b * b if kind == "blast" else 0))


def device_id(name: str) -> str:
    return re.sub(r"^-|-$", "", re.sub(r"[^a-z0-9]+", "-", name.lower())) or "gpu"


def no_markup(text: str) -> str:
    # Feed strings are text; a reader refuses any string with < or >.
    return text.replace("<", "(").replace(">", ")")


def recorded_args(argv: list) -> list:
    """The arguments as the feed records them: --out keeps only its file name, since the folder
    belongs to the machine that ran it."""
    out = []
    for i, arg in enumerate(argv):
        if i > 0 and argv[i - 1] == "--out":
            arg = os.path.basename(arg)
        elif arg.startswith("--out="):
            arg = "--out=" + os.path.basename(arg[len("--out="):])
        out.append(arg)
    return out


def cuda_device(device_kind: str) -> dict:
    """The feed's record of CUDA device 0."""
    name = torch.cuda.get_device_name()
    props = torch.cuda.get_device_properties(0)
    return {
        "id": device_id(name),
        "name": no_markup(name),
        "kind": device_kind,
        "memoryGiB": round(props.total_memory / 2**30, 2),
        "adapter": {"vendor": "nvidia", "architecture": f"sm_{props.major}{props.minor}", "description": no_markup(name)},
    }


def command_line(script: str, argv: list) -> str:
    """The command as the feed records it."""
    return no_markup(" ".join(shlex.quote(a) for a in ["python3", script, *recorded_args(argv)]))


def write_feed(out, generator: str, notes: list, device: dict, results: list) -> None:
    """A blr-feed/1 document of one device, to `out` (replaced whole, never left half-written) or stdout."""
    feed = {
        "schema": "blr-feed/1",
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "generator": generator,
        "notes": [no_markup(note) for note in notes],
        "devices": [device],
        "results": results,
    }
    text = json.dumps(feed, indent=1) + "\n"
    if out:
        partial = out + ".partial"
        with open(partial, "w") as f:
            f.write(text)
        os.replace(partial, out)
        log(f"wrote {len(results)} results to {out}")
    else:
        sys.stdout.write(text)


def add_sweep_args(p: argparse.ArgumentParser, tokens: str) -> None:
    """The options of a timed sweep over preset layers (this script's and bench/paper_triton.py's)."""
    p.add_argument("--preset", default="llama-7b", help=f"comma-separated: {', '.join(PRESETS)}")
    p.add_argument("--layer", help="only this layer id of the preset(s)")
    p.add_argument("--tokens", default=tokens, help="comma-separated token counts")
    p.add_argument("--reps", type=int, default=50, help="timed calls per point (at least 20)")
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--buffers", type=int, default=4, help="X buffers the input rotates among")
    p.add_argument("--device-kind", default="unknown", choices=DEVICE_KINDS)
    p.add_argument("--out", help="write the feed here (default: stdout)")


def check_sweep_args(p: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuses bad add_sweep_args values through p.error; sets args.presets and args.token_counts."""
    args.presets = args.preset.split(",")
    for name in args.presets:
        if name not in PRESETS:
            p.error(f"unknown preset {name!r}; known: {', '.join(PRESETS)}")
    if not re.fullmatch(r"\d+(,\d+)*", args.tokens) or any(int(t) < 1 for t in args.tokens.split(",")):
        p.error(f"--tokens must be comma-separated whole numbers of at least 1, got {args.tokens!r}")
    args.token_counts = [int(t) for t in args.tokens.split(",")]
    if args.reps < 20:
        p.error(f"--reps must be at least 20 (medians of fewer runs are noise), got {args.reps}")
    if args.buffers < 1 or args.warmup < 0:
        p.error("--buffers must be at least 1 and --warmup at least 0")


def feed_row(device: dict, point: tuple, kind: str, knobs, strategy: str, implementation: str, dtype: str,
             latency: dict, source: str, command: str) -> dict:
    """One blr-feed/1 result: point is (preset, layer, n, m, tokens), knobs (blocks, rank) or None for dense."""
    preset, layer, n, m, tokens = point
    flops = flops_of(kind, tokens, n, m, knobs)
    return {
        "device": device["id"],
        "preset": preset,
        "layer": layer,
        "shape": {"m": m, "n": n, "tokens": tokens},
        "structure": {"kind": kind} if knobs is None else {"kind": kind, "blocks": knobs[0], "rank": knobs[1]},
        "strategy": strategy,
        "implementation": implementation,
        "dtype": dtype,
        "latency": latency,
        "flops": flops,
        "achievedGFlops": flops / (latency["medianMs"] / 1e3) / 1e9,
        "provenance": {"kind": "pytorch", "source": no_markup(source), "command": command},
    }


def parse_args(argv: list) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_sweep_args(p, tokens="1,16,128,1024,4096")
    p.add_argument("--dtype", default="f32,bf16", help="comma-separated: f32, f16, bf16")
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    args = p.parse_args(argv)
    check_sweep_args(p, args)
    args.dtypes = args.dtype.split(",")
    for d in args.dtypes:
        if d not in DTYPES:
            p.error(f"unknown dtype {d!r}; known: {', '.join(DTYPES)}")
    return args


def main(argv: list) -> int:
    args = parse_args(argv)
    if not torch.cuda.is_available():
        log("no CUDA device: this script times on a CUDA GPU")
        return 2
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    check_semantics(torch.device("cuda"))

    device = cuda_device(args.device_kind)
    command = command_line("bench/torch_baseline.py", argv)
    timer = Timer(args.warmup, args.reps)
    source = (
        f"PyTorch {torch.__version__} (CUDA {torch.version.cuda}), median of {args.reps} CUDA-event timings of single calls "
        f"after {args.warmup} warm-up, L2 flushed before each, X rotated among {args.buffers} buffers"
    )

    points = []
    for preset in args.presets:
        for layer, n, m, monarch, blast in PRESETS[preset]:
            if args.layer and layer != args.layer:
                continue
            for dtype in args.dtypes:
                for tokens in args.token_counts:
                    points.append((preset, layer, n, m, monarch, blast, dtype, tokens))
    if not points:
        log(f"preset(s) {args.preset} have no layer {args.layer!r}")
        return 2

    results = []
    for index, (preset, layer, n, m, monarch, blast, dtype, tokens) in enumerate(points, 1):
        torch_dtype = DTYPES[dtype]
        factors = random_factors(n, m, monarch, blast, torch_dtype)
        inputs = [torch.randn(tokens, n, device="cuda").to(torch_dtype) for _ in range(args.buffers)]
        runs = [("dense", None, "tiled", "cublas", lambda x, w=factors["dense"][0]: F.linear(x, w))]
        for kind, fn, knobs in [("monarch", monarch_eager, monarch), ("blast", blast_eager, blast)]:
            if kind not in factors:
                continue
            runs.append((kind, knobs, "unfused", "torch-eager", lambda x, fn=fn, f=factors[kind]: fn(x, *f)))
            if not args.no_compile:
                torch._dynamo.reset()  # a fresh graph per shape, never the recompile limit's eager fallback
                compiled = torch.compile(fn, dynamic=False)
                runs.append((kind, knobs, "native", "torch-compile", lambda x, fn=compiled, f=factors[kind]: fn(x, *f)))

        for kind, knobs, strategy, implementation, run in runs:
            label = f"[{index}/{len(points)}] {preset} {layer} {kind} {implementation} {dtype} T={tokens}"
            try:
                if implementation == "torch-compile":
                    eager = monarch_eager if kind == "monarch" else blast_eager
                    err = rel_err(run(inputs[0]), eager(inputs[0], *factors[kind]))
                    tolerance = 1e-4 if dtype == "f32" else 3e-2
                    if err > tolerance:
                        raise RuntimeError(f"compiled output differs from eager: relErr {err:.2e} > {tolerance}")
                latency = timer.time(run, inputs)
            except Exception as e:  # one failed point (out of memory, compile error) must not end the sweep
                log(f"{label}: failed, {e}")
                continue
            results.append(feed_row(device, (preset, layer, n, m, tokens), kind, knobs, strategy, implementation, dtype, latency, source, command))
            log(f"{label}: {latency['medianMs']:.4f} ms (p10 {latency['p10Ms']:.4f}, p90 {latency['p90Ms']:.4f}), {results[-1]['achievedGFlops']:.0f} GFLOP/s")
        del factors, inputs, runs
        torch.cuda.empty_cache()

    notes = [f"PyTorch {torch.__version__}, CUDA {torch.version.cuda}, TF32 off for f32; weights random, batch 1"]
    write_feed(args.out, "bench/torch_baseline.py", notes, device, results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
