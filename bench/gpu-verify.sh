#!/usr/bin/env bash
# Checks every kernel × strategy × dtype on a real GPU against the f64 reference, at shapes the
# unit tests never use (odd sizes and the paper's Llama-7B configs), on FMA units and, where the
# adapter has them, on its matrix units (every fragment shape it reports, the real builtins that
# the unit tests can only emulate), then prints the adapter and its measured roofline ceilings. On the GPU machine, from the project root after
# `npm ci && npm run build:cli`:
#   bash bench/gpu-verify.sh OUTDIR [fma,matrix]     # both parts unless one is named
set -uo pipefail
out=${1:-.}
parts=${2:-fma,matrix}
source "$(dirname "$0")/gpu-env.sh"
blr() { node dist-cli/blr.mjs "$@" --dawn "$dawn"; }
blr info > "$out/info.json"
fails=0
verify_line() {
  local line
  line=$(blr verify "$@" --json) || fails=$((fails + 1))
  echo "$line" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);const p=r.plan;console.log([p.problem.structure.kind,p.strategy,p.problem.dtype,p.path??"fma",`m=${p.problem.shape.m} n=${p.problem.shape.n} T=${p.problem.shape.tokens}`,JSON.stringify(p.problem.structure),`relErr=${r.relErr.toExponential(2)}`,`rows=${r.rowsChecked}`,r.ok?"ok":"FAIL",p.fallbackReason??""].join(" | "))})' | tee -a "$out/verify.txt"
}
# FMA units first, every kernel (--path fma: f16 would otherwise take the matrix units)
run() { verify_line "$@" --path fma; }
for dtype in f32 f16; do
  [[ ,$parts, == *,fma,* ]] || break
  run --kernel dense --strategy tiled --m 1000 --n 776 --tokens 33 --dtype $dtype
  for s in tiled fused; do run --kernel lowrank --strategy $s --m 1000 --n 776 --tokens 33 --rank 48 --dtype $dtype; done
  # fused low-rank reading rows element by element (n = 775, r = 45), and in two passes of z (r = 2051)
  run --kernel lowrank --strategy fused --m 1000 --n 775 --tokens 19 --rank 45 --dtype $dtype
  run --kernel lowrank --strategy fused --m 2053 --n 2056 --tokens 9 --rank 2051 --dtype $dtype
  for s in unfused partial fused; do run --kernel monarch --strategy $s --m 1000 --n 776 --tokens 33 --blocks 8 --rank 64 --dtype $dtype; done
  for s in unfused partial perm-fused fused; do run --kernel blast --strategy $s --m 1000 --n 776 --tokens 33 --blocks 8 --rank 40 --dtype $dtype; done
  run --kernel blast --strategy perm-fused --m 4096 --n 11008 --tokens 1024 --blocks 16 --rank 1488 --dtype $dtype
  # the paper's Llama-7B configurations at T=1024 (reference on a sample of rows)
  run --kernel dense --strategy tiled --m 11008 --n 4096 --tokens 1024 --dtype $dtype
  # the 16-byte loads of the 128 × 128 tile with ragged rows, columns and K splits (5 of 416, the last 396)
  run --kernel dense --strategy tiled --m 2052 --n 2060 --tokens 300 --dtype $dtype
  for s in unfused partial; do
    run --kernel monarch --strategy $s --m 4096 --n 4096 --tokens 1024 --blocks 16 --rank 1024 --dtype $dtype
    # R = 1536: stage 1's groups of R/b = 96 columns end inside the 128 × 128 tile's column spans
    run --kernel monarch --strategy $s --m 11008 --n 4096 --tokens 1024 --blocks 16 --rank 1536 --dtype $dtype
    run --kernel blast --strategy $s --m 4096 --n 11008 --tokens 1024 --blocks 16 --rank 1488 --dtype $dtype
  done
  run --kernel lowrank --strategy fused --m 4096 --n 4096 --tokens 1 --rank 1024 --dtype $dtype
  # BLAST partial's input blocks split unevenly over workgroups (5 blocks as 2, 2, 1)
  run --kernel blast --strategy partial --m 1000 --n 780 --tokens 63 --blocks 5 --rank 256 --dtype $dtype
  # few tokens take the gemv kernel: vec4 loads where rows are multiples of 4 (n=4096), scalar
  # loads where not (n=775); T=5 leaves rows of its 8-row register block masked
  run --kernel dense --strategy tiled --m 1000 --n 775 --tokens 16 --dtype $dtype
  for T in 1 5 16; do
    run --kernel dense --strategy tiled --m 4096 --n 11008 --tokens $T --dtype $dtype
    run --kernel monarch --strategy partial --m 4096 --n 4096 --tokens $T --blocks 16 --rank 1024 --dtype $dtype
    run --kernel blast --strategy partial --m 1000 --n 776 --tokens $T --blocks 8 --rank 40 --dtype $dtype
  done
done
# Matrix units: each fragment shape the adapter reports for f16 operands, every strategy whose
# products they run, at odd shapes (ragged tiles, element loads where rows are not multiples of
# 4) and at the paper's Llama-7B configurations.
fragments=$(node -e 'const i=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const c of i.matrixConfigs??[])if(c.input==="f16")console.log(`${c.m}x${c.n}x${c.k}`)' "$out/info.json" | sort -u)
[ -n "$fragments" ] || echo "no f16 matrix-unit configs on this adapter: the matrix path is not checked"
[[ ,$parts, == *,matrix,* ]] || fragments=
for f in $fragments; do
  mx() { verify_line "$@" --dtype f16 --path matrix --fragment "$f"; }
  mx --kernel dense --strategy tiled --m 1000 --n 776 --tokens 33
  mx --kernel dense --strategy tiled --m 1000 --n 775 --tokens 300
  mx --kernel lowrank --strategy tiled --m 1000 --n 776 --tokens 129 --rank 48
  for s in unfused partial perm-fused; do
    mx --kernel blast --strategy $s --m 1000 --n 776 --tokens 130 --blocks 8 --rank 40
    mx --kernel blast --strategy $s --m 4096 --n 11008 --tokens 1024 --blocks 16 --rank 1488
  done
  for s in unfused partial; do
    mx --kernel monarch --strategy $s --m 1000 --n 776 --tokens 130 --blocks 8 --rank 64
    mx --kernel monarch --strategy $s --m 4096 --n 4096 --tokens 1024 --blocks 16 --rank 1024
  done
  mx --kernel dense --strategy tiled --m 11008 --n 4096 --tokens 1024
done
blr roofline > "$out/roofline.json"
cat "$out/roofline.json"
echo "verify failures: $fails"
[ "$fails" -eq 0 ]
