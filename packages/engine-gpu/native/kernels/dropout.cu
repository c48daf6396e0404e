// Inverted dropout from a counter-based Philox4x32-10 stream (philox.h): element i uses stream position
// p = offset + i, so a step's mask depends only on (seed, offset) — replayable inside a CUDA Graph and
// reproducible by the TypeScript twin (src/philox.ts). One thread per Philox block of 4 positions.
#include "launch.cuh"
#include "philox.h"

namespace {

__global__ void dropoutKernel(const float* __restrict__ x, float* __restrict__ out, float* __restrict__ mask, int64_t n, float keep,
                              uint64_t seed, uint64_t offset) {
  const float scale = 1.f / keep;
  const uint64_t first = offset / 4;                      // block holding position offset
  const uint64_t blocks = (offset + n - 1) / 4 - first + 1;  // blocks touching [offset, offset + n)
  ATL_GRID_STRIDE(b, static_cast<int64_t>(blocks)) {
    const uint64_t c = first + static_cast<uint64_t>(b);
    const atl::Philox4 r = atl::philoxBlock(seed, c);
    for (int lane = 0; lane < 4; ++lane) {
      const uint64_t p = c * 4 + lane;
      if (p < offset || p >= offset + static_cast<uint64_t>(n)) continue;
      const int64_t i = static_cast<int64_t>(p - offset);
      const float m = atl::philoxUniform(r.v[lane]) < keep ? scale : 0.f;
      if (mask) mask[i] = m;
      if (out) out[i] = x ? x[i] * m : m;  // no x: the mask only
    }
  }
}

}  // namespace

int atl_dropout(cudaStream_t stream, const float* x, float* out, float* mask, int64_t n, float keep, uint64_t seed, uint64_t offset) {
  ATL_CHECK_ARG(n >= 0, "dropout: n must be >= 0");
  ATL_CHECK_ARG(keep > 0.f && keep <= 1.f, "dropout: keep must be in (0, 1]");
  ATL_CHECK_ARG(offset <= UINT64_MAX - static_cast<uint64_t>(n), "dropout: offset + n overflows the stream");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(out || mask, "dropout: needs out or mask");
  const int64_t blocks = static_cast<int64_t>((offset + n - 1) / 4 - offset / 4 + 1);
  dropoutKernel<<<atl::gridFor(blocks), atl::kBlock, 0, stream>>>(x, out, mask, n, keep, seed, offset);
  ATL_LAUNCH_CHECK("dropout");
  return ATL_OK;
}
