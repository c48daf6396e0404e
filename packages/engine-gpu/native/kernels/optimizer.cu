// Fused in-place optimizer updates (Adam/AdamW, SGD with momentum/Nesterov, Adagrad), dense or over
// sparse rows (rows < 0 are padding). Formula for formula the reference's
// (backends/cpu/optimizer-kernels.ts): coupled L2 added to the gradient, AdamW's decay applied to the
// parameter before the step, Adam's step lr/bc1 · m / (sqrt(v)/sqrt(bc2) + eps). The per-element math
// is in double like the reference's JS numbers, then stored as float32, so results match it to float32
// rounding (the scalars themselves arrive as float32). Scalars are read from device memory
// (AtlOptScalars) so a captured CUDA Graph uses each step's values.
#include "launch.cuh"

namespace {

using atl::kBlock;

// Maps launch element e to the parameter index, or −1 when the row is padding or out of range.
__device__ __forceinline__ int64_t paramIndex(int64_t e, const int32_t* __restrict__ rows, int64_t rowWidth, int64_t n, int32_t* errorWord) {
  if (!rows) return e;
  const int64_t r = e / rowWidth, j = e % rowWidth;
  const int32_t row = rows[r];
  if (row < 0) return -1;
  if ((static_cast<int64_t>(row) + 1) * rowWidth > n) {
    if (j == 0) atl::recordError(errorWord, ATL_DEV_ROW_RANGE, r, row, n / rowWidth);
    return -1;
  }
  return static_cast<int64_t>(row) * rowWidth + j;
}

__global__ void adamKernel(float* __restrict__ param, const float* __restrict__ grad, float* __restrict__ m, float* __restrict__ v,
                           const int32_t* __restrict__ rows, int64_t rowWidth, int64_t n, int64_t total, const AtlOptScalars* __restrict__ sc,
                           bool decoupled, int32_t* errorWord) {
  const AtlOptScalars s = *sc;
  const double lr = s.lr, beta1 = s.beta1, beta2 = s.beta2, eps = s.eps, l2 = s.l2;
  const double stepSize = lr / s.biasCorrection1;
  const double sqrtBc2 = sqrt(static_cast<double>(s.biasCorrection2));
  const double decay = decoupled ? 1.0 - lr * s.weightDecay : 1.0;
  const double c1 = 1.0 - beta1, c2 = 1.0 - beta2;
  ATL_GRID_STRIDE(e, total) {
    const int64_t i = paramIndex(e, rows, rowWidth, n, errorWord);
    if (i < 0) continue;
    double pi = param[i];
    const double gi = static_cast<double>(grad[e]) + l2 * pi;
    pi *= decay;
    const double mi = beta1 * m[i] + c1 * gi;
    const double vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = static_cast<float>(mi);
    v[i] = static_cast<float>(vi);
    param[i] = static_cast<float>(pi - (stepSize * mi) / (sqrt(vi) / sqrtBc2 + eps));
  }
}

__global__ void sgdKernel(float* __restrict__ param, const float* __restrict__ grad, float* __restrict__ velocity, const int32_t* __restrict__ rows,
                          int64_t rowWidth, int64_t n, int64_t total, const AtlOptScalars* __restrict__ sc, bool nesterov, int32_t* errorWord) {
  const AtlOptScalars s = *sc;
  const double lr = s.lr, momentum = s.momentum, l2 = s.l2;
  ATL_GRID_STRIDE(e, total) {
    const int64_t i = paramIndex(e, rows, rowWidth, n, errorWord);
    if (i < 0) continue;
    const double pi = param[i];
    const double gi = static_cast<double>(grad[e]) + l2 * pi;
    const double vi = momentum * velocity[i] + gi;
    velocity[i] = static_cast<float>(vi);
    param[i] = static_cast<float>(pi - lr * (nesterov ? gi + momentum * vi : vi));
  }
}

__global__ void adagradKernel(float* __restrict__ param, const float* __restrict__ grad, float* __restrict__ acc, const int32_t* __restrict__ rows,
                              int64_t rowWidth, int64_t n, int64_t total, const AtlOptScalars* __restrict__ sc, int32_t* errorWord) {
  const AtlOptScalars s = *sc;
  const double lr = s.lr, eps = s.eps, l2 = s.l2;
  ATL_GRID_STRIDE(e, total) {
    const int64_t i = paramIndex(e, rows, rowWidth, n, errorWord);
    if (i < 0) continue;
    const double pi = param[i];
    const double gi = static_cast<double>(grad[e]) + l2 * pi;
    const double si = acc[i] + gi * gi;
    acc[i] = static_cast<float>(si);
    param[i] = static_cast<float>(pi - (lr * gi) / (sqrt(si) + eps));
  }
}

// Shared argument checks; sets *total to the number of elements the launch covers.
int checkUpdate(const float* param, const float* grad, const int32_t* rows, int64_t k, int64_t rowWidth, int64_t n,
                const AtlOptScalars* scalars, int64_t* total) {
  ATL_CHECK_ARG(n >= 0, "optimizer update: n must be >= 0");
  if (rows) {
    ATL_CHECK_ARG(k >= 0 && rowWidth >= 0, "optimizer update (sparse): k and rowWidth must be >= 0");
    ATL_CHECK_ARG(k * rowWidth == 0 || n % rowWidth == 0, "optimizer update (sparse): n must be a multiple of rowWidth");
    *total = k * rowWidth;
  } else {
    *total = n;
  }
  ATL_CHECK_ARG(*total == 0 || (param && grad && scalars), "optimizer update: null pointer");
  return ATL_OK;
}

}  // namespace

int atl_adam(cudaStream_t stream, float* param, const float* grad, float* m, float* v, const int32_t* rows, int64_t k, int64_t rowWidth,
             int64_t n, const AtlOptScalars* scalars, int decoupled) {
  int64_t total = 0;
  if (int rc = checkUpdate(param, grad, rows, k, rowWidth, n, scalars, &total)) return rc;
  if (total == 0) return ATL_OK;
  ATL_CHECK_ARG(m && v, "adam: null moment buffer");
  ATL_ERROR_WORD(errorWord);
  adamKernel<<<atl::gridFor(total), kBlock, 0, stream>>>(param, grad, m, v, rows, rowWidth, n, total, scalars, decoupled != 0, errorWord);
  ATL_LAUNCH_CHECK("adam");
  return ATL_OK;
}

int atl_sgd(cudaStream_t stream, float* param, const float* grad, float* velocity, const int32_t* rows, int64_t k, int64_t rowWidth, int64_t n,
            const AtlOptScalars* scalars, int nesterov) {
  int64_t total = 0;
  if (int rc = checkUpdate(param, grad, rows, k, rowWidth, n, scalars, &total)) return rc;
  if (total == 0) return ATL_OK;
  ATL_CHECK_ARG(velocity != nullptr, "sgd: null velocity");
  ATL_ERROR_WORD(errorWord);
  sgdKernel<<<atl::gridFor(total), kBlock, 0, stream>>>(param, grad, velocity, rows, rowWidth, n, total, scalars, nesterov != 0, errorWord);
  ATL_LAUNCH_CHECK("sgd");
  return ATL_OK;
}

int atl_adagrad(cudaStream_t stream, float* param, const float* grad, float* acc, const int32_t* rows, int64_t k, int64_t rowWidth, int64_t n,
                const AtlOptScalars* scalars) {
  int64_t total = 0;
  if (int rc = checkUpdate(param, grad, rows, k, rowWidth, n, scalars, &total)) return rc;
  if (total == 0) return ATL_OK;
  ATL_CHECK_ARG(acc != nullptr, "adagrad: null accumulator");
  ATL_ERROR_WORD(errorWord);
  adagradKernel<<<atl::gridFor(total), kBlock, 0, stream>>>(param, grad, acc, rows, rowWidth, n, total, scalars, errorWord);
  ATL_LAUNCH_CHECK("adagrad");
  return ATL_OK;
}
