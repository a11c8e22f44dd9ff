// gemm-core.wgsl's tile loads where gemm-io binds A and B as vec4 (K and every row a multiple
// of 4 elements, K contiguous: ks = 1; tiles of VW = 4). The K tile is cut into blocks of
// 4 rows × 4 k; a thread loads a whole block with four vector loads (one per row; 16 bytes in
// f32, 8 in f16), transposes it in registers and stores four whole vectors, one per k, each
// holding the block's 4 rows: every workgroup vector
// has one writer (a thread writing single lanes of a vector that others write too would race:
// WGSL lets a component write access the whole vector).
// Blocks are numbered A's first, then B's; thread li takes blocks li, li + threads, … and
// PREFETCH = 4 × that count (gemm-plan.ts), so each block has one slot of 4 row vectors.
// BK must be a multiple of 4 (an override, so gemm-plan.ts's tileDispatch checks it).

const_assert VW == 4u;

alias Staged = array<vec4<f32>, PREFETCH>;

// Blocks of A and of B in one K tile.
fn blocks_a() -> u32 { return WG_Y * TM / 4u * (BK / 4u); }
fn blocks_b() -> u32 { return WG_X * TN / 4u * (BK / 4u); }

// One row of 4 k of A or of B, as f32.
fn read_row(on_a: bool, at: u32) -> vec4<f32> {
  if (on_a) { return vec4<f32>(A[at]); }
  return vec4<f32>(B[at]);
}

// Loads this thread's blocks of one K tile: (*st)[4j + l] holds k … k + 3 of row l of block j.
fn load_tile(a: Operand, b: Operand, k0: u32, k_end: u32, row0: u32, col0: u32, li: u32,
             st: ptr<function, Staged>) {
  for (var j = 0u; j < PREFETCH / 4u; j++) {
    var id = li + j * WG_X * WG_Y;
    if (id >= blocks_a() + blocks_b()) { break; }
    let on_a = id < blocks_a();
    var op = a;
    var first = row0;
    if (!on_a) { id -= blocks_a(); op = b; first = col0; }
    first += (id / (BK / 4u)) * 4u;
    let k = k0 + (id % (BK / 4u)) * 4u;
    for (var l = 0u; l < 4u; l++) {
      var v = vec4<f32>();
      if (first + l < op.rows && k < k_end) { v = read_row(on_a, (op.base + (first + l) * op.ld + k) / 4u); }
      (*st)[4u * j + l] = v;
    }
  }
}

// Stores this thread's blocks, transposed, into tile `group` of the workgroup tiles: the
// block's k-th vector holds its 4 rows at k.
fn store_tile(li: u32, group: u32, st: ptr<function, Staged>) {
  let AS = WG_Y * TM / 4u + PAD;
  let BS = WG_X * TN / 4u + PAD;
  for (var j = 0u; j < PREFETCH / 4u; j++) {
    var id = li + j * WG_X * WG_Y;
    if (id >= blocks_a() + blocks_b()) { break; }
    let on_a = id < blocks_a();
    if (!on_a) { id -= blocks_a(); }
    let rows = id / (BK / 4u); // the block's vector of 4 rows within the tile
    let k = (id % (BK / 4u)) * 4u;
    for (var c = 0u; c < 4u; c++) {
      let v = vec4<f32>((*st)[4u * j][c], (*st)[4u * j + 1u][c], (*st)[4u * j + 2u][c], (*st)[4u * j + 3u][c]);
      if (on_a) {
        As[(group * BK + k + c) * AS + rows] = v;
      } else {
        Bs[(group * BK + k + c) * BS + rows] = v;
      }
    }
  }
}
