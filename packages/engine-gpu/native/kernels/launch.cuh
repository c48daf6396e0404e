// Helpers shared by the kernel families: launch geometry, grid-stride loops, rank ≤ 6 shape
// structs passed by value, warp/block reductions and the device error record.
#pragma once
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#include "../kernels.h"

namespace atl {

constexpr int kBlock = 256;
constexpr int kWarp = 32;
constexpr int kMaxRank = 6;
// Grid-stride loops cover any n; more blocks than this only adds scheduling cost.
constexpr int64_t kMaxBlocks = 65535;

inline unsigned gridFor(int64_t n, int block = kBlock) {
  int64_t b = (n + block - 1) / block;
  if (b < 1) b = 1;
  if (b > kMaxBlocks) b = kMaxBlocks;
  return static_cast<unsigned>(b);
}

inline bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

#define ATL_GRID_STRIDE(i, n)                                                          \
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); \
       i += static_cast<int64_t>(blockDim.x) * gridDim.x)

#define ATL_CHECK_ARG(cond, msg) \
  do {                           \
    if (!(cond)) return atl_fail(__FILE__, __LINE__, msg); \
  } while (0)

/** A rank ≤ 6 shape or stride list, copied into the launch by value. */
struct Dims {
  int64_t v[kMaxRank];
};

/** Offset of out-linear-index e in a tensor with `strides`, walking `shape` from the last dim. */
__device__ __forceinline__ int64_t stridedOffset(int64_t e, int rank, const Dims& shape, const Dims& strides) {
  int64_t off = 0;
  for (int k = rank - 1; k >= 0; --k) {
    const int64_t s = shape.v[k];
    const int64_t idx = e % s;
    e /= s;
    off += idx * strides.v[k];
  }
  return off;
}

__device__ __forceinline__ float warpSum(float v) {
  for (int o = kWarp / 2; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

/** Max that ignores NaN like the reference's `if (x > mx) mx = x` (fmaxf returns the non-NaN). */
__device__ __forceinline__ float warpMaxIgnoreNaN(float v) {
  for (int o = kWarp / 2; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

/** Max where a NaN wins (reference Max: `if (v > acc || isNaN(v)) acc = v`). */
__device__ __forceinline__ float maxPropagateNaN(float a, float b) { return (b > a || isnan(b)) ? b : a; }

__device__ __forceinline__ float warpMaxPropagateNaN(float v) {
  for (int o = kWarp / 2; o > 0; o >>= 1) v = maxPropagateNaN(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

/** Sum over a group of GROUP threads (32: one warp; 256: the whole block). `smem` holds 8 floats;
 *  every thread of the group gets the result. Call from all threads of the block. */
template <int GROUP>
__device__ __forceinline__ float groupSum(float v, float* smem) {
  v = warpSum(v);
  if (GROUP == kWarp) return v;
  const int warp = threadIdx.x / kWarp, lane = threadIdx.x % kWarp;
  __syncthreads();  // smem may still be read by a previous call
  if (lane == 0) smem[warp] = v;
  __syncthreads();
  float t = lane < kBlock / kWarp ? smem[lane] : 0.f;
  return warpSum(t);
}

template <int GROUP>
__device__ __forceinline__ float groupMaxIgnoreNaN(float v, float* smem) {
  v = warpMaxIgnoreNaN(v);
  if (GROUP == kWarp) return v;
  const int warp = threadIdx.x / kWarp, lane = threadIdx.x % kWarp;
  __syncthreads();
  if (lane == 0) smem[warp] = v;
  __syncthreads();
  float t = lane < kBlock / kWarp ? smem[lane] : -INFINITY;
  return warpMaxIgnoreNaN(t);
}

/** Rows (or outputs) handled by groups of GROUP threads, kBlock / GROUP of them per block, in a
 *  grid-stride loop: body(r, active, lane) for each of this thread's trips, active = r < rows. The
 *  trip count is uniform over the block, so every thread reaches the group reductions' barriers:
 *  body calls them unconditionally and does its row work only when active. */
template <int GROUP, typename Body>
__device__ __forceinline__ void forEachRowGroup(int64_t rows, Body body) {
  constexpr int perBlock = kBlock / GROUP;
  const int sub = threadIdx.x / GROUP, lane = threadIdx.x % GROUP;
  for (int64_t r0 = static_cast<int64_t>(blockIdx.x) * perBlock; r0 < rows; r0 += static_cast<int64_t>(gridDim.x) * perBlock) {
    const int64_t r = r0 + sub;
    body(r, r < rows, lane);
  }
}

/** Records the first data-dependent error of the stream's work in the device error word
 *  {code, index, value, limit}; later ones are dropped. */
__device__ __forceinline__ void recordError(int32_t* word, int code, int64_t index, int64_t value, int64_t limit) {
  if (atomicCAS(word, 0, code) == 0) {
    word[1] = static_cast<int32_t>(index);
    word[2] = static_cast<int32_t>(value);
    word[3] = static_cast<int32_t>(limit);
  }
}

}  // namespace atl

/** The device error word for kernels that can see bad ids/labels; fails the launcher when the runtime
 *  has not allocated it (atl_device_errors_init). */
#define ATL_ERROR_WORD(var)                                                                              \
  int32_t* var = atl_device_error_word();                                                                \
  if (var == nullptr)                                                                                    \
    return atl_fail(__FILE__, __LINE__, "device error word not allocated (call atl_device_errors_init first)")
