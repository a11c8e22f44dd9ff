// The same ceiling as peak.mjs, in CUDA: warp-level matrix multiply-accumulates (WMMA,
// 16 x 16 x 16, f16 operands, f32 or f16 accumulators) with operands loaded once, for the
// machine's own bound on what Vulkan's cooperative matrices (which lower to the same warp-level
// instructions) can reach. Hopper's full rate needs warpgroup MMA, which neither reaches.
//   nvcc -O3 -arch=sm_90 -o /tmp/mma-peak bench/matrix-units/mma-peak.cu && /tmp/mma-peak
#include <cstdio>
#include <cuda_fp16.h>
#include <mma.h>
using namespace nvcuda;

constexpr int ITERS = 2048;

template <typename Acc, int TA, int TB>
__global__ void peak(const half *src, Acc *dst) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> a[TA];
  wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::row_major> b[TB];
  wmma::fragment<wmma::accumulator, 16, 16, 16, Acc> c[TA][TB];
  for (int i = 0; i < TA; i++) wmma::load_matrix_sync(a[i], src + i * 256, 16);
  for (int j = 0; j < TB; j++) wmma::load_matrix_sync(b[j], src + j * 256, 16);
  for (int i = 0; i < TA; i++)
    for (int j = 0; j < TB; j++) wmma::fill_fragment(c[i][j], Acc(0));
  for (int it = 0; it < ITERS; it++)
    for (int i = 0; i < TA; i++)
      for (int j = 0; j < TB; j++) wmma::mma_sync(c[i][j], a[i], b[j], c[i][j]);
  int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
  for (int i = 0; i < TA; i++)
    for (int j = 0; j < TB; j++) wmma::store_matrix_sync(dst + (warp * TA * TB + i * TB + j) * 256, c[i][j], 16, wmma::mem_row_major);
}

template <typename Acc, int TA, int TB>
void run(const char *acc, int warpsPerBlock) {
  const int blocks = 132 * 16;
  half *src;
  Acc *dst;
  cudaMalloc(&src, 4096 * sizeof(half));
  cudaMalloc(&dst, (size_t)blocks * warpsPerBlock * TA * TB * 256 * sizeof(Acc));
  half host[4096];
  for (int i = 0; i < 4096; i++) host[i] = __float2half((float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f);
  cudaMemcpy(src, host, sizeof host, cudaMemcpyHostToDevice);
  cudaEvent_t t0, t1;
  cudaEventCreate(&t0);
  cudaEventCreate(&t1);
  peak<Acc, TA, TB><<<blocks, warpsPerBlock * 32>>>(src, dst);
  float best = 1e30f;
  for (int r = 0; r < 5; r++) {
    cudaEventRecord(t0);
    peak<Acc, TA, TB><<<blocks, warpsPerBlock * 32>>>(src, dst);
    cudaEventRecord(t1);
    cudaEventSynchronize(t1);
    float ms;
    cudaEventElapsedTime(&ms, t0, t1);
    best = ms < best ? ms : best;
  }
  double flops = 2.0 * 16 * 16 * 16 * TA * TB * (double)ITERS * warpsPerBlock * blocks;
  printf("{\"config\": \"16x16x16 f16>%s (CUDA WMMA)\", \"ta\": %d, \"tb\": %d, \"subgroups\": %d, \"ms\": %.4f, \"tflops\": %.1f}\n", acc, TA, TB,
         warpsPerBlock, best, flops / best / 1e9);
  cudaFree(src);
  cudaFree(dst);
}

int main() {
  run<float, 2, 2>("f32", 4);
  run<float, 4, 2>("f32", 4);
  run<float, 4, 4>("f32", 4);
  run<float, 4, 4>("f32", 8);
  run<half, 4, 4>("f16", 4);
  run<half, 4, 4>("f16", 8);
  return 0;
}
