// The register-blocked tile loop shared by every GEMM-shaped kernel (gemm.wgsl,
// blast-partial.wgsl). The including kernel declares the storage bindings `A` and `B`
// (element type `elem`); the prelude (shaders.ts) defines `elem`, the register block TM × TN,
// the vector width VW (4 when TM and TN are multiples of 4, else 1), PREFETCH, the size of
// the load module's staging registers for one K tile, computed for the tile by gemm-plan.ts
// (tileLoadsPerThread) so that they are no larger than it needs, and GROUPS, the tiles one
// workgroup computes side by side (1 for gemm.wgsl; blast-partial.wgsl's grouped tile gives each
// layer z of its threads an input block), each with its own part of the workgroup tiles.
// Workgroup memory holds the tiles as VW-wide vectors, so each thread reads its TM × TN
// operands with TM/VW + TN/VW loads per k (128-bit loads when VW = 4: a quarter of the
// workgroup-memory instructions, which bound the scalar version; docs/decisions.md#vec4-workgroup-tiles). A thread owns TM/VW groups
// of VW consecutive rows, the groups strided by the workgroup's height (tile_offset), and
// likewise for columns, so neighbouring threads still read neighbouring vectors.
// The including kernel also takes the tile loads (Staged, the registers one thread stages a K
// tile in; load_tile, memory to Staged; store_tile, Staged to workgroup memory) from
// gemm-load.wgsl, element by element for any alignment, or from gemm-load-wide.wgsl, vector
// loads (16 bytes in f32) where gemm-io binds A and B as vec4 (shaders.ts picks one).

override WG_X: u32 = 16u; // threads along N
override WG_Y: u32 = 16u; // threads along M
override BK: u32 = 16u;   // depth of the K tile held in workgroup memory
// Vectors of padding per k row: gemm-load.wgsl's store_tile writes consecutive k from
// consecutive threads, which would otherwise fall in the same banks (gemm-load-wide.wgsl's
// writes k rows 4 apart: 2-way conflicts with the padding). 0 where the padded tile would not fit
// the adapter's workgroup memory (gemm-plan.ts).
override PAD: u32 = 1u;

var<workgroup> As: array<vecw, GROUPS * BK * (WG_Y * TM / VW + PAD)>;
var<workgroup> Bs: array<vecw, GROUPS * BK * (WG_X * TN / VW + PAD)>;

alias Acc = array<f32, TM * TN>;

// An operand: element (row, k) is at base + row · ld + k · ks, for row < rows.
struct Operand { base: u32, ld: u32, ks: u32, rows: u32 }

// Offset within the tile of a thread's i-th row (threads `t` along that side, `span` of them).
fn tile_offset(t: u32, i: u32, span: u32) -> u32 {
  return (t + (i / VW) * span) * VW + i % VW;
}

// acc[i][j] += Σ_{k in [k_begin, k_end)} A(row0 + tile_offset(lid.y, i, WG_Y), k) · B(col0 + tile_offset(lid.x, j, WG_X), k)
// for the thread (lid.x, lid.y) of tile `group`; li is its index among that tile's threads.
// Software-pipelined: the next K tile's loads are issued before this tile's arithmetic, so
// their latency hides behind it instead of stalling the workgroup at every tile.
fn gemm_tiles(a: Operand, b: Operand, k_begin: u32, k_end: u32, row0: u32, col0: u32,
              lid: vec3u, li: u32, group: u32, acc: ptr<function, Acc>) {
  let AS = WG_Y * TM / VW + PAD; // padded k-row strides, in vectors
  let BS = WG_X * TN / VW + PAD;
  let a0 = group * BK * AS;
  let b0 = group * BK * BS;
  var staged = Staged();
  load_tile(a, b, k_begin, k_end, row0, col0, li, &staged);
  for (var k0 = k_begin; k0 < k_end; k0 += BK) {
    store_tile(li, group, &staged);
    workgroupBarrier();
    if (k0 + BK < k_end) { load_tile(a, b, k0 + BK, k_end, row0, col0, li, &staged); }
    for (var kk = 0u; kk < BK; kk++) {
      var av = array<vecw, TM / VW>();
      var bv = array<vecw, TN / VW>();
      for (var i = 0u; i < TM / VW; i++) { av[i] = As[a0 + kk * AS + lid.y + i * WG_Y]; }
      for (var j = 0u; j < TN / VW; j++) { bv[j] = Bs[b0 + kk * BS + lid.x + j * WG_X]; }
      for (var i = 0u; i < TM; i++) {
        let x = lane(av[i / VW], i % VW);
        for (var j = 0u; j < TN; j++) {
          (*acc)[i * TN + j] = fma(x, lane(bv[j / VW], j % VW), (*acc)[i * TN + j]);
        }
      }
    }
    workgroupBarrier();
  }
}
