// LayerNorm over the last axis, forward and backward. Forward is two-pass in float like the
// reference layer (layers/layer-norm.ts: mean, then mean of squared deviations, biased), one warp
// per row when d ≤ 1024, one block per row otherwise. Backward: dx per row from the saved mean and
// rstd, dgamma/dbeta as deterministic column sums. Sums are float tree sums (relative ~ d · 2⁻²⁴).
#include "launch.cuh"

namespace {

using atl::kBlock;
using atl::kWarp;

template <int GROUP>
__global__ void layerNormForwardKernel(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
                                       int64_t rows, int64_t d, float eps, float* __restrict__ y, float* __restrict__ mean,
                                       float* __restrict__ rstd) {
  __shared__ float smem[kBlock / kWarp];
  atl::forEachRowGroup<GROUP>(rows, [&](int64_t r, bool active, int lane) {
    const float* row = x + r * d;
    float s = 0.f;
    if (active)
      for (int64_t j = lane; j < d; j += GROUP) s += row[j];
    const float mu = atl::groupSum<GROUP>(s, smem) / static_cast<float>(d);
    float q = 0.f;
    if (active)
      for (int64_t j = lane; j < d; j += GROUP) {
        const float c = row[j] - mu;
        q += c * c;
      }
    const float var = atl::groupSum<GROUP>(q, smem) / static_cast<float>(d);
    if (!active) return;
    const float rs = 1.f / sqrtf(var + eps);
    float* out = y + r * d;
    for (int64_t j = lane; j < d; j += GROUP) {
      float v = (row[j] - mu) * rs;
      if (gamma) v *= gamma[j];
      if (beta) v += beta[j];
      out[j] = v;
    }
    if (lane == 0) {
      mean[r] = mu;
      rstd[r] = rs;
    }
  });
}

// dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)), g = dy · gamma, x̂ = (x − mean) · rstd.
template <int GROUP>
__global__ void layerNormBackwardKernel(const float* __restrict__ dy, const float* __restrict__ x, const float* __restrict__ gamma,
                                        const float* __restrict__ mean, const float* __restrict__ rstd, int64_t rows, int64_t d,
                                        float* __restrict__ dx) {
  __shared__ float smem[kBlock / kWarp];
  atl::forEachRowGroup<GROUP>(rows, [&](int64_t r, bool active, int lane) {
    const float mu = active ? mean[r] : 0.f, rs = active ? rstd[r] : 0.f;
    const float* xr = x + r * d;
    const float* dyr = dy + r * d;
    float sg = 0.f, sgx = 0.f;
    if (active)
      for (int64_t j = lane; j < d; j += GROUP) {
        const float g = gamma ? dyr[j] * gamma[j] : dyr[j];
        sg += g;
        sgx += g * (xr[j] - mu) * rs;
      }
    const float meanG = atl::groupSum<GROUP>(sg, smem) / static_cast<float>(d);
    const float meanGx = atl::groupSum<GROUP>(sgx, smem) / static_cast<float>(d);
    if (!active) return;
    float* dxr = dx + r * d;
    for (int64_t j = lane; j < d; j += GROUP) {
      const float g = gamma ? dyr[j] * gamma[j] : dyr[j];
      const float xhat = (xr[j] - mu) * rs;
      dxr[j] = rs * (g - meanG - xhat * meanGx);
    }
  });
}

// dgamma[j] = Σ_r dy · x̂, dbeta[j] = Σ_r dy: 8 columns per block (whole 32-byte sectors, and enough
// blocks for d of a few hundred), 32 row stripes combined in a fixed order.
__global__ void layerNormParamGradKernel(const float* __restrict__ dy, const float* __restrict__ x, const float* __restrict__ mean,
                                         const float* __restrict__ rstd, int64_t rows, int64_t d, float* __restrict__ dgamma,
                                         float* __restrict__ dbeta) {
  constexpr int kCols = 8, kStripes = kBlock / kCols;
  __shared__ float sGamma[kStripes][kCols + 1];
  __shared__ float sBeta[kStripes][kCols + 1];
  const int tx = threadIdx.x % kCols, ty = threadIdx.x / kCols;
  const int64_t j = static_cast<int64_t>(blockIdx.x) * kCols + tx;
  float ag = 0.f, ab = 0.f;
  if (j < d)
    for (int64_t r = ty; r < rows; r += kStripes) {
      const float g = dy[r * d + j];
      ag += g * (x[r * d + j] - mean[r]) * rstd[r];
      ab += g;
    }
  sGamma[ty][tx] = ag;
  sBeta[ty][tx] = ab;
  __syncthreads();
  if (ty == 0 && j < d) {
    for (int k = 1; k < kStripes; ++k) {
      ag += sGamma[k][tx];
      ab += sBeta[k][tx];
    }
    if (dgamma) dgamma[j] = ag;
    if (dbeta) dbeta[j] = ab;
  }
}

}  // namespace

int atl_layernorm_forward(cudaStream_t stream, const float* x, const float* gamma, const float* beta, int64_t rows, int64_t d, float eps,
                          float* y, float* mean, float* rstd) {
  ATL_CHECK_ARG(rows >= 0 && d >= 0, "layernorm_forward: rows and d must be >= 0");
  ATL_CHECK_ARG(eps >= 0.f, "layernorm_forward: eps must be >= 0");
  if (rows == 0) return ATL_OK;
  ATL_CHECK_ARG(d > 0, "layernorm_forward: d must be > 0 when rows > 0");
  ATL_CHECK_ARG(x && y && mean && rstd, "layernorm_forward: null pointer");
  if (d <= 1024) {
    const int64_t blocks = (rows + kBlock / kWarp - 1) / (kBlock / kWarp);
    layerNormForwardKernel<kWarp><<<atl::gridFor(blocks, 1), kBlock, 0, stream>>>(x, gamma, beta, rows, d, eps, y, mean, rstd);
  } else {
    layerNormForwardKernel<kBlock><<<atl::gridFor(rows, 1), kBlock, 0, stream>>>(x, gamma, beta, rows, d, eps, y, mean, rstd);
  }
  ATL_LAUNCH_CHECK("layernorm_forward");
  return ATL_OK;
}

int atl_layernorm_backward(cudaStream_t stream, const float* dy, const float* x, const float* gamma, const float* mean, const float* rstd,
                           int64_t rows, int64_t d, float* dx, float* dgamma, float* dbeta) {
  ATL_CHECK_ARG(rows >= 0 && d >= 0, "layernorm_backward: rows and d must be >= 0");
  if (d == 0) return ATL_OK;
  if (rows > 0) {
    ATL_CHECK_ARG(dy && x && mean && rstd && dx, "layernorm_backward: null pointer");
    if (d <= 1024) {
      const int64_t blocks = (rows + kBlock / kWarp - 1) / (kBlock / kWarp);
      layerNormBackwardKernel<kWarp><<<atl::gridFor(blocks, 1), kBlock, 0, stream>>>(dy, x, gamma, mean, rstd, rows, d, dx);
    } else {
      layerNormBackwardKernel<kBlock><<<atl::gridFor(rows, 1), kBlock, 0, stream>>>(dy, x, gamma, mean, rstd, rows, d, dx);
    }
    ATL_LAUNCH_CHECK("layernorm_backward (dx)");
  }
  if (dgamma || dbeta) {
    // With rows == 0 this writes zeros: the sums over no rows.
    const unsigned grid = static_cast<unsigned>((d + 7) / 8);
    layerNormParamGradKernel<<<grid, kBlock, 0, stream>>>(dy, x, mean, rstd, rows, d, dgamma, dbeta);
    ATL_LAUNCH_CHECK("layernorm_backward (dgamma, dbeta)");
  }
  return ATL_OK;
}
