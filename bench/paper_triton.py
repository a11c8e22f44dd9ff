#!/usr/bin/env python3
"""The paper's own Triton kernels at its layer configs, checked in float64 and timed, as a blr-feed/1 document.

Imported at run time from a checkout of github.com/pabillam/mem-efficient-blr (arXiv:2512.20861), --repo:
  Monarch  triton_monarch_right_left_fp16   the partial fusion: stage 1 writes the permuted layout   strategy partial
  BLAST    triton_blast_bmm_fp16            ⑤ permutation-only fusion, three bmm kernels             strategy perm-fused
Despite their names both take and return bfloat16 (their launchers assert it), so the rows are bf16,
implementation triton-paper. Each point's first run autotunes every config the paper lists for that
shape, token count included, as its own benchmark does. Its output is then checked against
monarch_eager / blast_eager of torch_baseline.py run in float64 on the same factors and input: a
relErr of 1e-2 or more, or NaN, fails the point, which is not timed. The timing, device record and
feed are torch_baseline.py's. Progress goes to stderr. Needs torch, triton, numpy and a CUDA GPU.

  python3 bench/paper_triton.py --repo .paper --tokens 1,16,1024 --device-kind datacenter-gpu --out feed.json
"""
from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import time
import types

import torch

from torch_baseline import (
    PRESETS, Timer, add_sweep_args, blast_eager, check_semantics, check_sweep_args, command_line, cuda_device, feed_row, log,
    monarch_eager, no_markup, random_factors, rel_err, write_feed,
)

# (structure kind, the paper's entry point, the feed's strategy); every row is IMPLEMENTATION and DTYPE.
KERNELS = [
    ("monarch", "triton_funcs.monarch_kernels.triton_monarch_right_left_fp16", "partial"),
    ("blast", "triton_funcs.blast_kernels.triton_blast_bmm_fp16", "perm-fused"),
]
IMPLEMENTATION = "triton-paper"
DTYPE = "bf16"
TOLERANCE = 1e-2  # relErr against float64; bf16 rounds every kernel's output, 2-3e-3 over the two or three kernels here


def paper_monarch_factors(w1: torch.Tensor, w2: torch.Tensor) -> tuple:
    """Our w1 (b, R, n/b), w2 (b, m/b, R) as triton_monarch_right_left_fp16 takes them: w1_bfly (b, n/b, R),
    w2_bfly (b, R, m/b), both contiguous.

    The two permute stage 1's outputs differently. Ours hands stage-2 block j the values qi ≡ j (mod b)
    of each input block k, at position k·R/b + qi//b; the paper's right kernel hands it the contiguous
    run r = j·R/b + t, at position k·R/b + t. So w1_bfly[k, :, j·R/b + t] = w1[k, t·b + j, :] (the
    regrouping the paper's layer.py applies to torch_monarch_baseline's weights), and with it the
    stage-2 inputs, w2 and the interleaved output Y[:, s·b + j] are the same as ours."""
    b, rank, p = w1.shape
    w1_bfly = w1.view(b, rank // b, b, p).permute(0, 3, 2, 1).reshape(b, p, rank).contiguous()
    return w1_bfly, w2.transpose(1, 2).contiguous()


def paper_blast_factors(u: torch.Tensor, vt: torch.Tensor, s: torch.Tensor) -> tuple:
    """Our u (b, m/b, r), vt (b, r, n/b), s (b, b, r) as triton_blast_bmm_fp16 takes them: U (b, m/b, r),
    V (b, n/b, r), S (r, b, b), all contiguous.

    The same structure, in other layouts: its sxv kernel sums S[c, i, j] · Y[c, j, :] over input blocks
    j, so S[c, i, j] = s[i, j, c] (the permutation the paper's layer.py uses to verify it; its benchmark
    passes the transpose, which times the same). Output blocks are contiguous, as ours."""
    return u.contiguous(), vt.transpose(1, 2).contiguous(), s.permute(2, 0, 1).contiguous()


def next_power_of_2(x: int) -> int:
    return 1 if x < 1 else 1 << (x - 1).bit_length()


def load_kernels(repo: str) -> tuple:
    """(triton, {kind: entry point}) from the checkout at `repo`; RuntimeError naming what is missing."""
    files = {name: os.path.join(repo, *name.split(".")[:-1]) + ".py" for _, name, _ in KERNELS}
    missing = [path for path in files.values() if not os.path.isfile(path)]
    if missing:
        raise RuntimeError(f"--repo {repo!r} is not a checkout of github.com/pabillam/mem-efficient-blr: no {', '.join(missing)}")
    try:
        import triton
    except ImportError as e:
        raise RuntimeError(f"the paper's kernels need Triton, which does not import here ({e})") from e
    # The kernel modules take next_power_of_2 from the repo's top-level utils.py, which also imports its
    # models package and transformers; this module stands in for it with that one function.
    utils = types.ModuleType("utils", "stands in for the paper's utils.py: next_power_of_2 only")
    utils.next_power_of_2 = next_power_of_2
    sys.modules["utils"] = utils
    sys.path.insert(0, os.path.abspath(repo))
    kernels = {}
    for kind, name, _ in KERNELS:
        module, function = name.rsplit(".", 1)
        try:
            kernels[kind] = getattr(importlib.import_module(module), function)
        except Exception as e:  # an import error, a syntax error of another Triton version, a renamed function
            raise RuntimeError(f"cannot import {name} from {files[name]}: {type(e).__name__}: {e}") from e
    return triton, kernels


def repo_commit(repo: str, given) -> str | None:
    """--repo-commit, else the first line of REPO/COMMIT, else HEAD of REPO when it is a git checkout of its own."""
    if given:
        return given
    path = os.path.join(repo, "COMMIT")
    if os.path.isfile(path):
        with open(path) as f:
            return f.readline().strip()[:80] or None
    if os.path.exists(os.path.join(repo, ".git")):  # never the enclosing repository of an extracted archive
        try:
            return subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            pass
    return None


def checked_call(run, x: torch.Tensor, out_shape: tuple):
    """run(x), and whether its output landed on a NaN-filled block. The kernels allocate their outputs, so a
    block of the output's size is filled with NaN and freed just before, for the caching allocator to hand back."""
    poison = torch.full(out_shape, float("nan"), dtype=torch.bfloat16, device="cuda")
    address = poison.data_ptr()
    del poison
    out = run(x)
    return out, out.data_ptr() == address


def parse_args(argv: list) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repo", required=True, help="a checkout of github.com/pabillam/mem-efficient-blr (e.g. a git archive of it extracted into .paper)")
    p.add_argument("--repo-commit", help="the checkout's commit, for the feed (default: REPO/COMMIT, or git HEAD of REPO)")
    add_sweep_args(p, tokens="1,16,1024")
    args = p.parse_args(argv)
    check_sweep_args(p, args)
    if not os.path.isdir(args.repo):
        p.error(f"--repo {args.repo!r} is not a folder")
    return args


def main(argv: list) -> int:
    args = parse_args(argv)
    if not torch.cuda.is_available():
        log("no CUDA device: the paper's Triton kernels run on a CUDA GPU")
        return 2
    try:
        triton, kernels = load_kernels(args.repo)
    except RuntimeError as e:
        log(str(e))
        return 2
    check_semantics(torch.device("cuda"))

    commit = repo_commit(args.repo, args.repo_commit)
    repo = no_markup(f"github.com/pabillam/mem-efficient-blr at {commit}" if commit else "github.com/pabillam/mem-efficient-blr, commit not recorded")
    versions = f"Triton {triton.__version__}, PyTorch {torch.__version__} (CUDA {torch.version.cuda})"
    device = cuda_device(args.device_kind)
    command = command_line("bench/paper_triton.py", argv)
    timer = Timer(args.warmup, args.reps)
    timing = (
        f"median of {args.reps} CUDA-event timings of single calls after {args.warmup} warm-up, "
        f"L2 flushed before each, X rotated among {args.buffers} buffers"
    )

    points = [(preset, layer, n, m, monarch, blast, tokens)
              for preset in args.presets for layer, n, m, monarch, blast in PRESETS[preset]
              if not args.layer or layer == args.layer for tokens in args.token_counts]
    if not points:
        log(f"preset(s) {args.preset} have no layer {args.layer!r}")
        return 2

    results, failed = [], 0
    for index, (preset, layer, n, m, monarch, blast, tokens) in enumerate(points, 1):
        factors = random_factors(n, m, monarch, blast, torch.bfloat16)
        del factors["dense"]
        inputs = [torch.randn(1, tokens, n, device="cuda").to(torch.bfloat16) for _ in range(args.buffers)]
        x64 = inputs[0][0].double()
        for kind, name, strategy in KERNELS:
            if kind not in factors:
                continue  # a preset layer without a Monarch config
            knobs = monarch if kind == "monarch" else blast
            label = f"[{index}/{len(points)}] {preset} {layer} {kind} {name.rsplit('.', 1)[1]} T={tokens}"
            try:
                eager, convert = (monarch_eager, paper_monarch_factors) if kind == "monarch" else (blast_eager, paper_blast_factors)
                want = eager(x64, *(f.double() for f in factors[kind]))
                run = lambda x, kernel=kernels[kind], f=convert(*factors[kind]): kernel(x, *f)
                start = time.perf_counter()
                run(inputs[0])  # autotunes, over every config the paper lists for this shape
                torch.cuda.synchronize()
                tuned_s = time.perf_counter() - start
                got, poisoned = checked_call(run, inputs[0], (1, tokens, m))
                err = rel_err(got.reshape(tokens, m), want)
                checked = f"relErr {err:.1e} against float64{'' if poisoned else ' (its output was not on the NaN-filled block)'}"
                if not err < TOLERANCE:
                    raise RuntimeError(f"{checked}, not below {TOLERANCE}: not timed")
                latency = timer.time(run, inputs)
            except Exception as e:  # one failed point (a wrong result, out of memory, a compile error) must not end the sweep
                log(f"{label}: failed, {type(e).__name__}: {e}")
                failed += 1
                continue
            source = (f"the paper's Triton {name} ({repo}), autotuned on its first run; {versions}; {timing}; "
                      f"relErr {err:.1e} against float64 eager on the same bf16 factors and input")
            results.append(feed_row(device, (preset, layer, n, m, tokens), kind, knobs, strategy, IMPLEMENTATION, DTYPE, latency, source, command))
            log(f"{label}: {latency['medianMs']:.4f} ms (p10 {latency['p10Ms']:.4f}, p90 {latency['p90Ms']:.4f}), "
                f"{results[-1]['achievedGFlops']:.0f} GFLOP/s, {checked}, autotuned (compiles included) in {tuned_s:.1f} s")
        del factors, inputs, x64
        torch.cuda.empty_cache()

    notes = [f"The paper's own Triton kernels ({repo}), bf16 (the kernels named _fp16 take and return bfloat16); {versions}; weights random, batch 1"]
    write_feed(args.out, "bench/paper_triton.py", notes, device, results)
    if failed:
        log(f"{failed} point(s) failed; the feed holds the {len(results)} that passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
