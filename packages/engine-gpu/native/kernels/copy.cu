// Data movement on 4-byte elements (float32 and int32 alike): strided row copies (Concat, 2-D Slice),
// transpose of rank ≤ 6 (swapping the last two dims goes through a 32×32 shared-memory tile so reads
// and writes both coalesce; other permutations index directly) and broadcast_to of rank ≤ 6.
#include "launch.cuh"

namespace {

using atl::kBlock;
using atl::kWarp;

// T = uint32_t, or uint4 when widths, offsets and strides are multiples of 4 and the pointers aligned;
// every size here is in units of T.
template <typename T>
__global__ void copyRowsKernel(const T* __restrict__ src, int64_t srcOff, int64_t srcStride, T* __restrict__ dst, int64_t dstOff,
                               int64_t dstStride, int64_t rows, int64_t width) {
  ATL_GRID_STRIDE(e, rows * width) {
    const int64_t r = e / width, c = e % width;
    dst[dstOff + r * dstStride + c] = src[srcOff + r * srcStride + c];
  }
}

// out[e] = in[offset of e's coordinates under inStrides], e walking out's shape.
__global__ void stridedGatherKernel(const uint32_t* __restrict__ in, uint32_t* __restrict__ out, int64_t n, int rank, atl::Dims outShape,
                                    atl::Dims inStrides) {
  ATL_GRID_STRIDE(e, n) out[e] = in[atl::stridedOffset(e, rank, outShape, inStrides)];
}

// [batch, R, C] → [batch, C, R] through a 32×32 tile (+1 column against bank conflicts).
__global__ void transposeLastTwoKernel(const uint32_t* __restrict__ in, uint32_t* __restrict__ out, int64_t batch, int64_t R, int64_t C) {
  __shared__ uint32_t tile[kWarp][kWarp + 1];
  constexpr int kRowsPerPass = kBlock / kWarp;
  const int tx = threadIdx.x % kWarp, ty = threadIdx.x / kWarp;
  const int64_t r0 = static_cast<int64_t>(blockIdx.y) * kWarp, c0 = static_cast<int64_t>(blockIdx.x) * kWarp;
  for (int64_t b = blockIdx.z; b < batch; b += gridDim.z) {
    const uint32_t* src = in + b * R * C;
    uint32_t* dst = out + b * R * C;
    for (int k = ty; k < kWarp; k += kRowsPerPass) {
      const int64_t r = r0 + k, c = c0 + tx;
      if (r < R && c < C) tile[k][tx] = src[r * C + c];
    }
    __syncthreads();
    for (int k = ty; k < kWarp; k += kRowsPerPass) {
      const int64_t c = c0 + k, r = r0 + tx;
      if (c < C && r < R) dst[c * R + r] = tile[tx][k];
    }
    __syncthreads();
  }
}

}  // namespace

int atl_copy_rows(cudaStream_t stream, const void* src, int64_t srcOff, int64_t srcStride, void* dst, int64_t dstOff, int64_t dstStride,
                  int64_t rows, int64_t width) {
  ATL_CHECK_ARG(rows >= 0 && width >= 0, "copy_rows: rows and width must be >= 0");
  ATL_CHECK_ARG(srcOff >= 0 && dstOff >= 0 && srcStride >= 0 && dstStride >= 0, "copy_rows: offsets and strides must be >= 0");
  if (rows * width == 0) return ATL_OK;
  ATL_CHECK_ARG(src && dst, "copy_rows: null pointer");
  const bool vec = width % 4 == 0 && srcOff % 4 == 0 && dstOff % 4 == 0 && srcStride % 4 == 0 && dstStride % 4 == 0 && atl::aligned16(src) &&
                   atl::aligned16(dst);
  if (vec) {
    copyRowsKernel<uint4><<<atl::gridFor(rows * width / 4), kBlock, 0, stream>>>(static_cast<const uint4*>(src), srcOff / 4, srcStride / 4,
                                                                                 static_cast<uint4*>(dst), dstOff / 4, dstStride / 4, rows,
                                                                                 width / 4);
  } else {
    copyRowsKernel<uint32_t><<<atl::gridFor(rows * width), kBlock, 0, stream>>>(static_cast<const uint32_t*>(src), srcOff, srcStride,
                                                                                static_cast<uint32_t*>(dst), dstOff, dstStride, rows, width);
  }
  ATL_LAUNCH_CHECK("copy_rows");
  return ATL_OK;
}

int atl_transpose(cudaStream_t stream, const void* x, void* out, int rank, const int64_t* inShape, const int32_t* perm) {
  ATL_CHECK_ARG(rank >= 0 && rank <= atl::kMaxRank, "transpose: rank must be in [0, 6]");
  ATL_CHECK_ARG(rank == 0 || (inShape && perm), "transpose: null shape or perm");
  // Row-major strides of the input, then out dim k takes in dim perm[k].
  atl::Dims inStrides{}, outShape{}, srcStrides{};
  int64_t n = 1;
  for (int k = rank - 1; k >= 0; --k) {
    ATL_CHECK_ARG(inShape[k] >= 0, "transpose: negative dimension");
    inStrides.v[k] = n;
    n *= inShape[k];
  }
  bool seen[atl::kMaxRank] = {false, false, false, false, false, false};
  for (int k = 0; k < rank; ++k) {
    ATL_CHECK_ARG(perm[k] >= 0 && perm[k] < rank && !seen[perm[k]], "transpose: perm is not a permutation of [0, rank)");
    seen[perm[k]] = true;
    outShape.v[k] = inShape[perm[k]];
    srcStrides.v[k] = inStrides.v[perm[k]];
  }
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x && out, "transpose: null pointer");
  const uint32_t* in = static_cast<const uint32_t*>(x);
  uint32_t* o = static_cast<uint32_t*>(out);
  bool lastTwo = rank >= 2 && perm[rank - 1] == rank - 2 && perm[rank - 2] == rank - 1;
  for (int k = 0; k + 2 < rank && lastTwo; ++k) lastTwo = perm[k] == k;
  const int64_t R = rank >= 2 ? inShape[rank - 2] : 0, C = rank >= 2 ? inShape[rank - 1] : 0;
  if (lastTwo && (R + kWarp - 1) / kWarp <= 65535 && (C + kWarp - 1) / kWarp <= INT32_MAX) {
    const int64_t batch = n / (R * C);
    const dim3 grid(static_cast<unsigned>((C + kWarp - 1) / kWarp), static_cast<unsigned>((R + kWarp - 1) / kWarp),
                    static_cast<unsigned>(batch < 65535 ? batch : 65535));
    transposeLastTwoKernel<<<grid, kBlock, 0, stream>>>(in, o, batch, R, C);
  } else {
    stridedGatherKernel<<<atl::gridFor(n), kBlock, 0, stream>>>(in, o, n, rank, outShape, srcStrides);
  }
  ATL_LAUNCH_CHECK("transpose");
  return ATL_OK;
}

int atl_broadcast_to(cudaStream_t stream, const void* x, void* out, int rank, const int64_t* shape, const int64_t* xStrides) {
  ATL_CHECK_ARG(rank >= 0 && rank <= atl::kMaxRank, "broadcast_to: rank must be in [0, 6]");
  ATL_CHECK_ARG(rank == 0 || (shape && xStrides), "broadcast_to: null shape or strides");
  atl::Dims s{}, xs{};
  int64_t n = 1;
  for (int k = 0; k < rank; ++k) {
    ATL_CHECK_ARG(shape[k] >= 0, "broadcast_to: negative dimension");
    ATL_CHECK_ARG(xStrides[k] >= 0, "broadcast_to: negative stride");
    s.v[k] = shape[k];
    xs.v[k] = xStrides[k];
    n *= shape[k];
  }
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x && out, "broadcast_to: null pointer");
  stridedGatherKernel<<<atl::gridFor(n), kBlock, 0, stream>>>(static_cast<const uint32_t*>(x), static_cast<uint32_t*>(out), n, rank, s, xs);
  ATL_LAUNCH_CHECK("broadcast_to");
  return ATL_OK;
}
