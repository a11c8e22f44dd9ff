// gemm-mma.wgsl's fragments without matrix units: the same operations as mma-native.wgsl in
// plain WGSL, so that the kernel's tiling, staging and stores run (and are checked against the
// reference) on any adapter. A left or right fragment is where it lies in As or Bs; a result
// fragment is spread over the subgroup's threads, element e = lane + SG_SIZE · t held by
// thread `lane` as its t-th value, as a subgroup matrix is spread over its subgroup.
// Offsets and strides count vectors of 4, as the native loads count As's and Bs's elements.

struct Left { offset: u32, stride: u32 }
struct Right { offset: u32, stride: u32 }
alias Result = array<acc_elem, MMA_M * MMA_N / SG_SIZE>;

var<private> mma_lane: u32;

fn mma_begin(lane: u32) { mma_lane = lane; }

fn load_left(offset: u32, stride: u32) -> Left { return Left(offset, stride); }

fn load_right(offset: u32, stride: u32) -> Right { return Right(offset, stride); }

// Element (r, k) of a left fragment and (k, c) of a right one.
fn left_at(a: Left, r: u32, k: u32) -> elem { return As[a.offset + r * a.stride + k / 4u][k % 4u]; }
fn right_at(b: Right, k: u32, c: u32) -> elem { return Bs[b.offset + c * b.stride + k / 4u][k % 4u]; }

fn mma(a: Left, b: Right, c: Result) -> Result {
  var out = c;
  for (var t = 0u; t < MMA_M * MMA_N / SG_SIZE; t++) {
    let e = mma_lane + SG_SIZE * t;
    let r = e / MMA_N;
    let col = e % MMA_N;
    var sum = acc_elem(out[t]);
    for (var k = 0u; k < MMA_K; k++) { sum += acc_elem(left_at(a, r, k)) * acc_elem(right_at(b, k, col)); }
    out[t] = sum;
  }
  return out;
}

fn store_result(offset: u32, stride: u32, c: Result) {
  for (var t = 0u; t < MMA_M * MMA_N / SG_SIZE; t++) {
    let e = mma_lane + SG_SIZE * t;
    Cs[offset + (e / MMA_N) * stride + e % MMA_N] = c[t];
  }
}
