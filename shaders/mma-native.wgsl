// gemm-mma.wgsl's fragments as subgroup matrices (chromium_experimental_subgroup_matrix): the
// builtins load them from the staged tiles As and Bs and store results to Cs, all in workgroup
// memory, at offsets and strides counted in those arrays' elements. Every call is made by the
// whole subgroup with the same arguments (the prelude turns off the uniformity analysis, which
// cannot see that `local_invocation_index / SG_SIZE` is uniform in a subgroup).

alias Left = subgroup_matrix_left<elem, MMA_K, MMA_M>;
alias Right = subgroup_matrix_right<elem, MMA_N, MMA_K>;
alias Result = subgroup_matrix_result<acc_elem, MMA_N, MMA_M>;

fn mma_begin(lane: u32) {}

// Rows of MMA_K consecutive k, `stride` apart.
fn load_left(offset: u32, stride: u32) -> Left {
  return subgroupMatrixLoad<Left, row_major>(&As, offset, stride);
}

// Bs holds B's rows (the right matrix's columns) with consecutive k: column-major.
fn load_right(offset: u32, stride: u32) -> Right {
  return subgroupMatrixLoad<Right, col_major>(&Bs, offset, stride);
}

fn mma(a: Left, b: Right, c: Result) -> Result {
  return subgroupMatrixMultiplyAccumulate(a, b, c);
}

fn store_result(offset: u32, stride: u32, c: Result) {
  subgroupMatrixStore<row_major>(&Cs, offset, c, stride);
}
