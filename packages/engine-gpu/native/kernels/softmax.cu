// Softmax and log-softmax over the last axis, sparse softmax cross-entropy (loss + probabilities),
// binary cross-entropy on logits and one-hot. One warp per row when the row has ≤ 1024 values, one
// 256-thread block per row otherwise. The row max ignores NaN like the reference
// (backends/cpu/softmax-kernels.ts); the exp-sum is a float tree sum (relative error ~ m · 2⁻²⁴).
#include "launch.cuh"

namespace {

using atl::kBlock;
using atl::kWarp;

// The row's max (NaN ignored) and Σ exp(x − max), reduced over the GROUP threads sharing the row.
// Every thread of the block calls it (the reductions use the block's barriers), active or not.
template <int GROUP>
__device__ __forceinline__ void rowMaxSumExp(const float* row, int64_t m, int lane, bool active, float* smem, float& mx, float& s) {
  mx = -INFINITY;
  if (active)
    for (int64_t j = lane; j < m; j += GROUP) mx = fmaxf(mx, row[j]);
  mx = atl::groupMaxIgnoreNaN<GROUP>(mx, smem);
  s = 0.f;
  if (active)
    for (int64_t j = lane; j < m; j += GROUP) s += expf(row[j] - mx);
  s = atl::groupSum<GROUP>(s, smem);
}

template <int GROUP>
__global__ void softmaxKernel(const float* __restrict__ x, int64_t rows, int64_t m, float* __restrict__ out, bool log) {
  __shared__ float smem[kBlock / kWarp];
  atl::forEachRowGroup<GROUP>(rows, [&](int64_t r, bool active, int lane) {
    const float* row = x + r * m;
    float mx, s;
    rowMaxSumExp<GROUP>(row, m, lane, active, smem, mx, s);
    if (!active) return;
    float* o = out + r * m;
    if (log) {
      const float lse = mx + logf(s);
      for (int64_t j = lane; j < m; j += GROUP) o[j] = row[j] - lse;
    } else {
      for (int64_t j = lane; j < m; j += GROUP) o[j] = expf(row[j] - mx) / s;
    }
  });
}

// Reference: probs = exp(x − lse), loss = lse − x[label]; a label outside [0, c) is an error.
template <int GROUP>
__global__ void sparseSoftmaxCeKernel(const float* __restrict__ logits, const int32_t* __restrict__ labels, int64_t n, int64_t c,
                                      float* __restrict__ loss, float* __restrict__ probs, int32_t* errorWord) {
  __shared__ float smem[kBlock / kWarp];
  atl::forEachRowGroup<GROUP>(n, [&](int64_t r, bool active, int lane) {
    const float* row = logits + r * c;
    float mx, s;
    rowMaxSumExp<GROUP>(row, c, lane, active, smem, mx, s);
    if (!active) return;
    const float lse = mx + logf(s);
    float* p = probs + r * c;
    for (int64_t j = lane; j < c; j += GROUP) p[j] = expf(row[j] - lse);
    if (lane == 0) {
      const int32_t y = labels[r];
      if (y < 0 || y >= c) {
        atl::recordError(errorWord, ATL_DEV_LABEL_RANGE, r, y, c);
        loss[r] = NAN;
      } else {
        loss[r] = lse - row[y];
      }
    }
  });
}

__global__ void bceKernel(const float* __restrict__ x, const float* __restrict__ z, float* __restrict__ out, int64_t n) {
  ATL_GRID_STRIDE(i, n) {
    const float v = x[i];
    out[i] = (v > 0.f ? v : 0.f) - v * z[i] + log1pf(expf(-fabsf(v)));
  }
}

__global__ void oneHotKernel(const int32_t* __restrict__ ids, int64_t n, int64_t depth, float onValue, float offValue, float* __restrict__ out) {
  ATL_GRID_STRIDE(e, n * depth) {
    const int64_t i = e / depth, j = e % depth;
    out[e] = ids[i] == j ? onValue : offValue;  // an id outside [0, depth) matches no j: an all-off row
  }
}

}  // namespace

int atl_softmax(cudaStream_t stream, const float* x, int64_t rows, int64_t m, float* out, int log) {
  ATL_CHECK_ARG(rows >= 0 && m >= 0, "softmax: rows and m must be >= 0");
  if (rows * m == 0) return ATL_OK;
  ATL_CHECK_ARG(x && out, "softmax: null pointer");
  if (m <= 1024) {
    const int64_t blocks = (rows + kBlock / kWarp - 1) / (kBlock / kWarp);
    softmaxKernel<kWarp><<<atl::gridFor(blocks, 1), kBlock, 0, stream>>>(x, rows, m, out, log != 0);
  } else {
    softmaxKernel<kBlock><<<atl::gridFor(rows, 1), kBlock, 0, stream>>>(x, rows, m, out, log != 0);
  }
  ATL_LAUNCH_CHECK("softmax");
  return ATL_OK;
}

int atl_sparse_softmax_ce(cudaStream_t stream, const float* logits, const int32_t* labels, int64_t n, int64_t c, float* loss, float* probs) {
  ATL_CHECK_ARG(n >= 0 && c > 0, "sparse_softmax_ce: n must be >= 0 and c > 0");
  ATL_CHECK_ARG(c <= INT32_MAX, "sparse_softmax_ce: c must fit int32");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(logits && labels && loss && probs, "sparse_softmax_ce: null pointer");
  ATL_ERROR_WORD(errorWord);
  if (c <= 1024) {
    const int64_t blocks = (n + kBlock / kWarp - 1) / (kBlock / kWarp);
    sparseSoftmaxCeKernel<kWarp><<<atl::gridFor(blocks, 1), kBlock, 0, stream>>>(logits, labels, n, c, loss, probs, errorWord);
  } else {
    sparseSoftmaxCeKernel<kBlock><<<atl::gridFor(n, 1), kBlock, 0, stream>>>(logits, labels, n, c, loss, probs, errorWord);
  }
  ATL_LAUNCH_CHECK("sparse_softmax_ce");
  return ATL_OK;
}

int atl_bce_with_logits(cudaStream_t stream, const float* x, const float* z, float* out, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "bce_with_logits: n must be >= 0");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x && z && out, "bce_with_logits: null pointer");
  bceKernel<<<atl::gridFor(n), kBlock, 0, stream>>>(x, z, out, n);
  ATL_LAUNCH_CHECK("bce_with_logits");
  return ATL_OK;
}

int atl_one_hot(cudaStream_t stream, const int32_t* ids, int64_t n, int64_t depth, float onValue, float offValue, float* out) {
  ATL_CHECK_ARG(n >= 0 && depth >= 0, "one_hot: n and depth must be >= 0");
  if (n * depth == 0) return ATL_OK;
  ATL_CHECK_ARG(ids && out, "one_hot: null pointer");
  oneHotKernel<<<atl::gridFor(n * depth), kBlock, 0, stream>>>(ids, n, depth, onValue, offValue, out);
  ATL_LAUNCH_CHECK("one_hot");
  return ATL_OK;
}
