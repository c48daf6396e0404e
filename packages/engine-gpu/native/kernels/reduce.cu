// Reductions: sum over the last axis, over the leading axis, sum/max over the middle axis of
// [outer, len, inner], argmax over the last axis, ReLU backward fused with the bias-gradient column
// sum, and the sum of squares for gradient norms. Sums accumulate in float in tree order (the
// reference adds sequentially, in float64 for column sums), so expect a relative difference of about
// len · 2⁻²⁴ on ill-conditioned sums; tests compare with rtol 1e-5 + atol 1e-6 · Σ|x|. Max and argmax
// are exact, with the reference's NaN rules. All results but sum_squares are deterministic.
#include "launch.cuh"

namespace {

using atl::kBlock;
using atl::kWarp;

// OP 0: sum; 1: max where NaN wins (reference Max).
template <int OP>
__device__ __forceinline__ float combine(float a, float b) {
  if constexpr (OP == 0) return a + b;
  else return atl::maxPropagateNaN(a, b);
}

template <int OP>
__device__ __forceinline__ float identity() {
  return OP == 0 ? 0.f : -INFINITY;
}

template <int OP>
__device__ __forceinline__ float warpReduce(float v) {
  for (int o = kWarp / 2; o > 0; o >>= 1) v = combine<OP>(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

// Reduce over GROUP (32 or 256) threads; every thread of the group gets the result.
template <int GROUP, int OP>
__device__ __forceinline__ float groupReduce(float v, float* smem) {
  v = warpReduce<OP>(v);
  if constexpr (GROUP == kWarp) return v;
  const int warp = threadIdx.x / kWarp, lane = threadIdx.x % kWarp;
  __syncthreads();
  if (lane == 0) smem[warp] = v;
  __syncthreads();
  return warpReduce<OP>(lane < kBlock / kWarp ? smem[lane] : identity<OP>());
}

// Element l of output (o, j) in [outer, len, inner]; with RELU it is the ReLU gradient g = y > 0 ? dy : 0,
// which is also written out (relu_grad_bias_sum).
template <bool RELU>
__device__ __forceinline__ float loadValue(const float* __restrict__ x, const float* __restrict__ y, float* __restrict__ g, int64_t idx) {
  if constexpr (!RELU) return x[idx];
  else {
    const float v = y[idx] > 0.f ? x[idx] : 0.f;
    g[idx] = v;
    return v;
  }
}

// One group of GROUP threads per output (o, j): good when outputs are few or inner is small.
template <int GROUP, int OP, bool RELU>
__global__ void groupPerOutputKernel(const float* __restrict__ x, const float* __restrict__ y, float* __restrict__ g, int64_t outer,
                                     int64_t len, int64_t inner, float* __restrict__ out) {
  __shared__ float smem[kBlock / kWarp];
  atl::forEachRowGroup<GROUP>(outer * inner, [&](int64_t p, bool active, int lane) {
    float acc = identity<OP>();
    if (active) {
      const int64_t o = p / inner, j = p % inner;
      const int64_t base = o * len * inner + j;
      for (int64_t l = lane; l < len; l += GROUP) acc = combine<OP>(acc, loadValue<RELU>(x, y, g, base + l * inner));
    }
    acc = groupReduce<GROUP, OP>(acc, smem);
    if (active && lane == 0) out[p] = acc;
  });
}

// COLS adjacent columns per block, kBlock / COLS row stripes combined in a fixed order. COLS = 8 still
// reads whole 32-byte sectors and gives 4× the blocks of COLS = 32 when inner is a few thousand.
template <int OP, bool RELU, int COLS>
__global__ void columnKernel(const float* __restrict__ x, const float* __restrict__ y, float* __restrict__ g, int64_t outer, int64_t len,
                             int64_t inner, float* __restrict__ out) {
  constexpr int kStripes = kBlock / COLS;
  __shared__ float smem[kStripes][COLS + 1];
  const int tx = threadIdx.x % COLS, ty = threadIdx.x / COLS;
  const int64_t j = static_cast<int64_t>(blockIdx.x) * COLS + tx;
  for (int64_t o = blockIdx.y; o < outer; o += gridDim.y) {
    float acc = identity<OP>();
    if (j < inner) {
      const int64_t base = o * len * inner + j;
      for (int64_t l = ty; l < len; l += kStripes) acc = combine<OP>(acc, loadValue<RELU>(x, y, g, base + l * inner));
    }
    smem[ty][tx] = acc;
    __syncthreads();
    if (ty == 0 && j < inner) {
      for (int k = 1; k < kStripes; ++k) acc = combine<OP>(acc, smem[k][tx]);
      out[o * inner + j] = acc;
    }
    __syncthreads();
  }
}

// One thread per output, sequential over a short len (few values per output: groups would idle).
template <int OP, bool RELU>
__global__ void threadPerOutputKernel(const float* __restrict__ x, const float* __restrict__ y, float* __restrict__ g, int64_t outer,
                                      int64_t len, int64_t inner, float* __restrict__ out) {
  ATL_GRID_STRIDE(p, outer * inner) {
    const int64_t o = p / inner, j = p % inner;
    const int64_t base = o * len * inner + j;
    float acc = identity<OP>();
    for (int64_t l = 0; l < len; ++l) acc = combine<OP>(acc, loadValue<RELU>(x, y, g, base + l * inner));
    out[p] = acc;
  }
}

template <int OP, bool RELU>
void launchReduce(cudaStream_t stream, const float* x, const float* y, float* g, int64_t outer, int64_t len, int64_t inner, float* out) {
  if (inner == 1 && len <= 1024) {
    const int64_t blocks = (outer + kBlock / kWarp - 1) / (kBlock / kWarp);
    groupPerOutputKernel<kWarp, OP, RELU><<<atl::gridFor(blocks, 1), kBlock, 0, stream>>>(x, y, g, outer, len, inner, out);
  } else if (len <= 64) {
    threadPerOutputKernel<OP, RELU><<<atl::gridFor(outer * inner), kBlock, 0, stream>>>(x, y, g, outer, len, inner, out);
  } else if (inner < kWarp) {
    groupPerOutputKernel<kBlock, OP, RELU><<<atl::gridFor(outer * inner, 1), kBlock, 0, stream>>>(x, y, g, outer, len, inner, out);
  } else {
    const unsigned gy = static_cast<unsigned>(outer < 65535 ? outer : 65535);
    if (inner * outer >= 4096 * 32) {
      columnKernel<OP, RELU, kWarp><<<dim3(static_cast<unsigned>((inner + kWarp - 1) / kWarp), gy), kBlock, 0, stream>>>(x, y, g, outer, len, inner, out);
    } else {
      columnKernel<OP, RELU, 8><<<dim3(static_cast<unsigned>((inner + 7) / 8), gy), kBlock, 0, stream>>>(x, y, g, outer, len, inner, out);
    }
  }
}

// Argmax: pairs (value, index); NaN values are left out, index INT64_MAX marks "none yet". With the
// reference's sequential `if (x[j] > x[best]) best = j` a NaN never becomes best unless it is x[0]
// (then nothing beats it), which the kernel checks separately.
struct ArgPair {
  float v;
  int64_t i;
};

__device__ __forceinline__ ArgPair argBetter(ArgPair a, ArgPair b) {
  if (b.i == INT64_MAX) return a;
  if (a.i == INT64_MAX) return b;
  if (b.v > a.v || (b.v == a.v && b.i < a.i)) return b;
  return a;
}

template <int GROUP>
__global__ void argmaxKernel(const float* __restrict__ x, int64_t rows, int64_t cols, int32_t* __restrict__ out) {
  __shared__ ArgPair smem[kBlock / kWarp];
  atl::forEachRowGroup<GROUP>(rows, [&](int64_t r, bool active, int lane) {
    ArgPair best{0.f, INT64_MAX};
    if (active) {
      const float* row = x + r * cols;
      for (int64_t j = lane; j < cols; j += GROUP) {
        const float v = row[j];
        if (!isnan(v)) best = argBetter(best, ArgPair{v, j});
      }
    }
    for (int o = kWarp / 2; o > 0; o >>= 1) {
      ArgPair other{__shfl_xor_sync(0xffffffffu, best.v, o), __shfl_xor_sync(0xffffffffu, best.i, o)};
      best = argBetter(best, other);
    }
    if constexpr (GROUP == kBlock) {
      const int warp = threadIdx.x / kWarp;
      __syncthreads();
      if (lane % kWarp == 0) smem[warp] = best;
      __syncthreads();
      if (threadIdx.x == 0)
        for (int w = 1; w < kBlock / kWarp; ++w) best = argBetter(best, smem[w]);
    }
    if (active && lane == 0) out[r] = (isnan(x[r * cols]) || best.i == INT64_MAX) ? 0 : static_cast<int32_t>(best.i);
  });
}

__global__ void sumSquaresKernel(const float* __restrict__ x, int64_t n, bool vec, float* __restrict__ out) {
  __shared__ float smem[kBlock / kWarp];
  float acc = 0.f;
  int64_t scalarStart = 0;
  if (vec) {
    const int64_t n4 = n / 4;
    ATL_GRID_STRIDE(q, n4) {
      const float4 v = reinterpret_cast<const float4*>(x)[q];
      acc += v.x * v.x + v.y * v.y + v.z * v.z + v.w * v.w;
    }
    scalarStart = n4 * 4;
  }
  ATL_GRID_STRIDE(t, n - scalarStart) {
    const float v = x[scalarStart + t];
    acc += v * v;
  }
  acc = groupReduce<kBlock, 0>(acc, smem);
  if (threadIdx.x == 0) atomicAdd(out, acc);
}

}  // namespace

int atl_sum_last(cudaStream_t stream, const float* x, int64_t rows, int64_t cols, float* out) {
  ATL_CHECK_ARG(rows >= 0 && cols >= 0, "sum_last: rows and cols must be >= 0");
  if (rows == 0) return ATL_OK;
  ATL_CHECK_ARG(out && (cols == 0 || x), "sum_last: null pointer");
  launchReduce<0, false>(stream, x, nullptr, nullptr, rows, cols, 1, out);
  ATL_LAUNCH_CHECK("sum_last");
  return ATL_OK;
}

int atl_sum_rows(cudaStream_t stream, const float* x, int64_t rows, int64_t cols, float* out) {
  ATL_CHECK_ARG(rows >= 0 && cols >= 0, "sum_rows: rows and cols must be >= 0");
  if (cols == 0) return ATL_OK;
  ATL_CHECK_ARG(out && (rows == 0 || x), "sum_rows: null pointer");
  launchReduce<0, false>(stream, x, nullptr, nullptr, 1, rows, cols, out);
  ATL_LAUNCH_CHECK("sum_rows");
  return ATL_OK;
}

int atl_reduce_mid(cudaStream_t stream, int op, const float* x, int64_t outer, int64_t len, int64_t inner, float* out) {
  ATL_CHECK_ARG(op == 0 || op == 1, "reduce_mid: op must be 0 (sum) or 1 (max)");
  ATL_CHECK_ARG(outer >= 0 && len >= 0 && inner >= 0, "reduce_mid: dims must be >= 0");
  if (outer * inner == 0) return ATL_OK;
  ATL_CHECK_ARG(out && (len == 0 || x), "reduce_mid: null pointer");
  if (op == 0) launchReduce<0, false>(stream, x, nullptr, nullptr, outer, len, inner, out);
  else launchReduce<1, false>(stream, x, nullptr, nullptr, outer, len, inner, out);
  ATL_LAUNCH_CHECK("reduce_mid");
  return ATL_OK;
}

int atl_argmax_last(cudaStream_t stream, const float* x, int64_t rows, int64_t cols, int32_t* out) {
  ATL_CHECK_ARG(rows >= 0 && cols >= 0, "argmax_last: rows and cols must be >= 0");
  if (rows == 0) return ATL_OK;
  ATL_CHECK_ARG(cols > 0, "argmax_last: cols must be > 0 when rows > 0");
  ATL_CHECK_ARG(cols <= INT32_MAX, "argmax_last: cols must fit int32");
  ATL_CHECK_ARG(x && out, "argmax_last: null pointer");
  if (cols <= 1024) {
    const int64_t blocks = (rows + kBlock / kWarp - 1) / (kBlock / kWarp);
    argmaxKernel<kWarp><<<atl::gridFor(blocks, 1), kBlock, 0, stream>>>(x, rows, cols, out);
  } else {
    argmaxKernel<kBlock><<<atl::gridFor(rows, 1), kBlock, 0, stream>>>(x, rows, cols, out);
  }
  ATL_LAUNCH_CHECK("argmax_last");
  return ATL_OK;
}

int atl_relu_grad_bias_sum(cudaStream_t stream, const float* dy, const float* y, int64_t rows, int64_t cols, float* g, float* db) {
  ATL_CHECK_ARG(rows >= 0 && cols >= 0, "relu_grad_bias_sum: rows and cols must be >= 0");
  if (cols == 0) return ATL_OK;
  ATL_CHECK_ARG(db && (rows == 0 || (dy && y && g)), "relu_grad_bias_sum: null pointer");
  launchReduce<0, true>(stream, dy, y, g, 1, rows, cols, db);
  ATL_LAUNCH_CHECK("relu_grad_bias_sum");
  return ATL_OK;
}

int atl_sum_squares(cudaStream_t stream, const float* x, int64_t n, float* out) {
  ATL_CHECK_ARG(n >= 0, "sum_squares: n must be >= 0");
  ATL_CHECK_ARG(out != nullptr, "sum_squares: null output");
  // out is overwritten even for n == 0; blocks then add their partial sums (order varies run to run).
  cudaError_t e = cudaMemsetAsync(out, 0, sizeof(float), stream);
  if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "sum_squares (memset)");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x != nullptr, "sum_squares: null input");
  const bool vec = atl::aligned16(x);
  int64_t blocks = atl::gridFor(vec ? n / 4 + 1 : n);
  if (blocks > 1024) blocks = 1024;  // few atomics; each thread still streams float4s
  sumSquaresKernel<<<static_cast<unsigned>(blocks), kBlock, 0, stream>>>(x, n, vec, out);
  ATL_LAUNCH_CHECK("sum_squares");
  return ATL_OK;
}
