// Elementwise kernels: unary and binary ops (same shape, scalar, row vector, per-row column and a
// general rank ≤ 6 strided broadcast), ReLU backward, the GEMM bias + activation epilogue, fills,
// casts and bf16 conversions. Formulas are the engine reference's (backends/cpu/elementwise-kernels.ts)
// evaluated in float32; transcendental ops differ from the reference (float64, then rounded) by a few
// ulp. Same-shape paths use float4 loads when every pointer is 16-byte aligned.
#include "launch.cuh"

namespace {

constexpr float kSqrt2OverPi = 0.7978845608028654f;

template <int OP>
__device__ __forceinline__ float unaryOp(float v) {
  if constexpr (OP == 0) return v <= 0.f ? 0.f : v;  // NaN propagates
  else if constexpr (OP == 1) return v >= 0.f ? 1.f / (1.f + expf(-v)) : expf(v) / (1.f + expf(v));
  else if constexpr (OP == 2) return tanhf(v);
  else if constexpr (OP == 3) return -v;
  else if constexpr (OP == 4) return v * v;
  else if constexpr (OP == 5) return expf(v);
  else if constexpr (OP == 6) return logf(v);
  else if constexpr (OP == 7) return sqrtf(v);
  else if constexpr (OP == 8) return fabsf(v);
  else if constexpr (OP == 9) return 1.f / v;
  else if constexpr (OP == 10) return v > 0.f ? 1.f : (v < 0.f ? -1.f : 0.f);
  else if constexpr (OP == 11) return v > 0.f ? v + log1pf(expf(-v)) : log1pf(expf(v));
  else if constexpr (OP == 12) return 0.5f * v * (1.f + tanhf(kSqrt2OverPi * (v + 0.044715f * v * v * v)));
  else if constexpr (OP == 13) return v > 0.f ? 1.f : 0.f;
  else return isfinite(v) ? 1.f : 0.f;
}

template <int OP>
__device__ __forceinline__ float binaryOp(float a, float b) {
  if constexpr (OP == 0) return a + b;
  else if constexpr (OP == 1) return a - b;
  else if constexpr (OP == 2) return a * b;
  else if constexpr (OP == 3) return a / b;
  else if constexpr (OP == 4) return a >= b ? a : b;  // the reference's NaN behaviour, not fmaxf's
  else if constexpr (OP == 5) return a <= b ? a : b;
  else if constexpr (OP == 6) {
    // Math.pow gives NaN where C's pow gives 1: pow(1, NaN) and pow(±1, ±Infinity).
    if (isnan(b) || (fabsf(a) == 1.f && isinf(b))) return NAN;
    return powf(a, b);
  } else if constexpr (OP == 7) return a == b ? 1.f : 0.f;
  else if constexpr (OP == 8) return a > b ? 1.f : 0.f;
  else return a >= b ? 1.f : 0.f;
}

template <int OP>
__global__ void unaryKernel(const float* __restrict__ x, float* __restrict__ out, int64_t n, bool vec) {
  int64_t scalarStart = 0;
  if (vec) {
    const int64_t n4 = n / 4;
    const float4* x4 = reinterpret_cast<const float4*>(x);
    float4* o4 = reinterpret_cast<float4*>(out);
    ATL_GRID_STRIDE(q, n4) {
      float4 v = x4[q];
      o4[q] = make_float4(unaryOp<OP>(v.x), unaryOp<OP>(v.y), unaryOp<OP>(v.z), unaryOp<OP>(v.w));
    }
    scalarStart = n4 * 4;
  }
  ATL_GRID_STRIDE(t, n - scalarStart) {
    const int64_t i = scalarStart + t;
    out[i] = unaryOp<OP>(x[i]);
  }
}

// MODE: 0 same shape, 1 y scalar, 2 x scalar, 3 y row vector of `inner`, 4 y one value per row.
template <int MODE>
__device__ __forceinline__ int64_t yIndex(int64_t i, int64_t inner) {
  if constexpr (MODE == 1) return 0;
  else if constexpr (MODE == 3) return i % inner;
  else if constexpr (MODE == 4) return i / inner;
  else return i;
}

// vec: float4 over out and the full-size operands (x except in mode 2; y in modes 0, 2 and 3 with
// inner % 4 == 0); in modes 1 and 4 (inner % 4 == 0) the 4 elements of a vector share one y value.
template <int OP, int MODE>
__global__ void binaryKernel(const float* __restrict__ x, const float* __restrict__ y, float* __restrict__ out, int64_t n,
                             int64_t inner, bool vec) {
  int64_t scalarStart = 0;
  if (vec) {
    const int64_t n4 = n / 4;
    float4* o4 = reinterpret_cast<float4*>(out);
    ATL_GRID_STRIDE(q, n4) {
      const int64_t i = q * 4;
      float4 a, b;
      if constexpr (MODE == 2) a = make_float4(x[0], x[0], x[0], x[0]);
      else a = reinterpret_cast<const float4*>(x)[q];
      if constexpr (MODE == 0 || MODE == 2) b = reinterpret_cast<const float4*>(y)[q];
      else if constexpr (MODE == 3) b = reinterpret_cast<const float4*>(y)[(i % inner) / 4];
      else {
        const float s = y[yIndex<MODE>(i, inner)];
        b = make_float4(s, s, s, s);
      }
      o4[q] = make_float4(binaryOp<OP>(a.x, b.x), binaryOp<OP>(a.y, b.y), binaryOp<OP>(a.z, b.z), binaryOp<OP>(a.w, b.w));
    }
    scalarStart = n4 * 4;
  }
  ATL_GRID_STRIDE(t, n - scalarStart) {
    const int64_t i = scalarStart + t;
    const float a = MODE == 2 ? x[0] : x[i];
    out[i] = binaryOp<OP>(a, y[yIndex<MODE>(i, inner)]);
  }
}

template <int OP>
__global__ void binaryStridedKernel(const float* __restrict__ x, const float* __restrict__ y, float* __restrict__ out, int64_t n, int rank,
                                    atl::Dims shape, atl::Dims xs, atl::Dims ys) {
  ATL_GRID_STRIDE(i, n) {
    out[i] = binaryOp<OP>(x[atl::stridedOffset(i, rank, shape, xs)], y[atl::stridedOffset(i, rank, shape, ys)]);
  }
}

template <int OP>
void launchUnary(cudaStream_t stream, const float* x, float* out, int64_t n) {
  const bool vec = atl::aligned16(x) && atl::aligned16(out);
  unaryKernel<OP><<<atl::gridFor(vec ? n / 4 + 1 : n), atl::kBlock, 0, stream>>>(x, out, n, vec);
}

template <int OP, int MODE>
void launchBinaryMode(cudaStream_t stream, const float* x, const float* y, float* out, int64_t n, int64_t inner) {
  bool vec = atl::aligned16(out) && (MODE == 2 || atl::aligned16(x));
  if (MODE == 0 || MODE == 2) vec = vec && atl::aligned16(y);
  if (MODE == 3) vec = vec && atl::aligned16(y) && inner % 4 == 0;
  if (MODE == 4) vec = vec && inner % 4 == 0;
  binaryKernel<OP, MODE><<<atl::gridFor(vec ? n / 4 + 1 : n), atl::kBlock, 0, stream>>>(x, y, out, n, inner, vec);
}

template <int OP>
void launchBinary(cudaStream_t stream, int mode, const float* x, const float* y, float* out, int64_t n, int64_t inner) {
  switch (mode) {
    case 0: launchBinaryMode<OP, 0>(stream, x, y, out, n, inner); break;
    case 1: launchBinaryMode<OP, 1>(stream, x, y, out, n, inner); break;
    case 2: launchBinaryMode<OP, 2>(stream, x, y, out, n, inner); break;
    case 3: launchBinaryMode<OP, 3>(stream, x, y, out, n, inner); break;
    default: launchBinaryMode<OP, 4>(stream, x, y, out, n, inner); break;
  }
}

__global__ void reluGradKernel(const float* __restrict__ dy, const float* __restrict__ y, float* __restrict__ out, int64_t n, bool vec) {
  int64_t scalarStart = 0;
  if (vec) {
    const int64_t n4 = n / 4;
    ATL_GRID_STRIDE(q, n4) {
      const float4 d = reinterpret_cast<const float4*>(dy)[q];
      const float4 v = reinterpret_cast<const float4*>(y)[q];
      reinterpret_cast<float4*>(out)[q] =
          make_float4(v.x > 0.f ? d.x : 0.f, v.y > 0.f ? d.y : 0.f, v.z > 0.f ? d.z : 0.f, v.w > 0.f ? d.w : 0.f);
    }
    scalarStart = n4 * 4;
  }
  ATL_GRID_STRIDE(t, n - scalarStart) {
    const int64_t i = scalarStart + t;
    out[i] = y[i] > 0.f ? dy[i] : 0.f;
  }
}

__global__ void biasActKernel(float* __restrict__ c, const float* __restrict__ bias, int64_t rows, int64_t cols, int act) {
  ATL_GRID_STRIDE(i, rows * cols) {
    float v = c[i] + (bias ? bias[i % cols] : 0.f);
    if (act == 1) v = unaryOp<0>(v);
    else if (act == 2) v = unaryOp<1>(v);
    else if (act == 3) v = tanhf(v);
    c[i] = v;
  }
}

template <typename T>
__global__ void fillKernel(T* __restrict__ out, T value, int64_t n) {
  ATL_GRID_STRIDE(i, n) out[i] = value;
}

// JS's Math.trunc then Int32Array store (ToInt32): NaN/±Inf → 0, otherwise truncate and wrap mod 2³².
__device__ __forceinline__ int32_t toInt32(float v) {
  if (!isfinite(v) || fabsf(v) >= 9.2e18f) return 0;  // |v| ≥ 2⁶³: a multiple of 2³², wraps to 0
  const long long t = static_cast<long long>(v);       // truncates toward zero
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<unsigned long long>(t)));
}

__global__ void castF32I32Kernel(const float* __restrict__ x, int32_t* __restrict__ out, int64_t n) {
  ATL_GRID_STRIDE(i, n) out[i] = toInt32(x[i]);
}

__global__ void castI32F32Kernel(const int32_t* __restrict__ x, float* __restrict__ out, int64_t n) {
  ATL_GRID_STRIDE(i, n) out[i] = static_cast<float>(x[i]);
}

// Round to nearest even on the bits; NaN stays a (quiet) NaN.
__device__ __forceinline__ uint16_t f32ToBf16(float f) {
  uint32_t u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}

__global__ void f32ToBf16Kernel(const float* __restrict__ x, uint16_t* __restrict__ out, int64_t n) {
  ATL_GRID_STRIDE(i, n) out[i] = f32ToBf16(x[i]);
}

__global__ void bf16ToF32Kernel(const uint16_t* __restrict__ x, float* __restrict__ out, int64_t n) {
  ATL_GRID_STRIDE(i, n) out[i] = __uint_as_float(static_cast<uint32_t>(x[i]) << 16);
}

}  // namespace

int atl_unary(cudaStream_t stream, int op, const float* x, float* out, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "unary: n must be >= 0");
  ATL_CHECK_ARG(op >= 0 && op <= 14, "unary: op must be in [0, 14]");
  ATL_CHECK_ARG(n == 0 || (x && out), "unary: null pointer");
  if (n == 0) return ATL_OK;
  switch (op) {
    case 0: launchUnary<0>(stream, x, out, n); break;
    case 1: launchUnary<1>(stream, x, out, n); break;
    case 2: launchUnary<2>(stream, x, out, n); break;
    case 3: launchUnary<3>(stream, x, out, n); break;
    case 4: launchUnary<4>(stream, x, out, n); break;
    case 5: launchUnary<5>(stream, x, out, n); break;
    case 6: launchUnary<6>(stream, x, out, n); break;
    case 7: launchUnary<7>(stream, x, out, n); break;
    case 8: launchUnary<8>(stream, x, out, n); break;
    case 9: launchUnary<9>(stream, x, out, n); break;
    case 10: launchUnary<10>(stream, x, out, n); break;
    case 11: launchUnary<11>(stream, x, out, n); break;
    case 12: launchUnary<12>(stream, x, out, n); break;
    case 13: launchUnary<13>(stream, x, out, n); break;
    default: launchUnary<14>(stream, x, out, n); break;
  }
  ATL_LAUNCH_CHECK("unary");
  return ATL_OK;
}

int atl_binary(cudaStream_t stream, int op, int mode, const float* x, const float* y, float* out, int64_t n, int64_t inner) {
  ATL_CHECK_ARG(n >= 0, "binary: n must be >= 0");
  ATL_CHECK_ARG(op >= 0 && op <= 9, "binary: op must be in [0, 9]");
  ATL_CHECK_ARG(mode >= 0 && mode <= 4, "binary: mode must be in [0, 4]");
  ATL_CHECK_ARG(mode < 3 || (inner > 0 && n % inner == 0), "binary: modes 3 and 4 need inner > 0 dividing n");
  ATL_CHECK_ARG(n == 0 || (x && y && out), "binary: null pointer");
  if (n == 0) return ATL_OK;
  switch (op) {
    case 0: launchBinary<0>(stream, mode, x, y, out, n, inner); break;
    case 1: launchBinary<1>(stream, mode, x, y, out, n, inner); break;
    case 2: launchBinary<2>(stream, mode, x, y, out, n, inner); break;
    case 3: launchBinary<3>(stream, mode, x, y, out, n, inner); break;
    case 4: launchBinary<4>(stream, mode, x, y, out, n, inner); break;
    case 5: launchBinary<5>(stream, mode, x, y, out, n, inner); break;
    case 6: launchBinary<6>(stream, mode, x, y, out, n, inner); break;
    case 7: launchBinary<7>(stream, mode, x, y, out, n, inner); break;
    case 8: launchBinary<8>(stream, mode, x, y, out, n, inner); break;
    default: launchBinary<9>(stream, mode, x, y, out, n, inner); break;
  }
  ATL_LAUNCH_CHECK("binary");
  return ATL_OK;
}

int atl_binary_strided(cudaStream_t stream, int op, const float* x, const float* y, float* out, int rank, const int64_t* shape,
                       const int64_t* xStrides, const int64_t* yStrides) {
  ATL_CHECK_ARG(op >= 0 && op <= 9, "binary_strided: op must be in [0, 9]");
  ATL_CHECK_ARG(rank >= 0 && rank <= atl::kMaxRank, "binary_strided: rank must be in [0, 6]");
  ATL_CHECK_ARG(rank == 0 || (shape && xStrides && yStrides), "binary_strided: null shape or strides");
  atl::Dims s{}, xs{}, ys{};
  int64_t n = 1;
  for (int k = 0; k < rank; ++k) {
    ATL_CHECK_ARG(shape[k] >= 0, "binary_strided: negative dimension");
    ATL_CHECK_ARG(xStrides[k] >= 0 && yStrides[k] >= 0, "binary_strided: negative stride");
    s.v[k] = shape[k];
    xs.v[k] = xStrides[k];
    ys.v[k] = yStrides[k];
    n *= shape[k];
  }
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x && y && out, "binary_strided: null pointer");
  const unsigned grid = atl::gridFor(n);
  switch (op) {
    case 0: binaryStridedKernel<0><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    case 1: binaryStridedKernel<1><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    case 2: binaryStridedKernel<2><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    case 3: binaryStridedKernel<3><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    case 4: binaryStridedKernel<4><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    case 5: binaryStridedKernel<5><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    case 6: binaryStridedKernel<6><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    case 7: binaryStridedKernel<7><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    case 8: binaryStridedKernel<8><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
    default: binaryStridedKernel<9><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, rank, s, xs, ys); break;
  }
  ATL_LAUNCH_CHECK("binary_strided");
  return ATL_OK;
}

int atl_relu_grad(cudaStream_t stream, const float* dy, const float* y, float* out, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "relu_grad: n must be >= 0");
  ATL_CHECK_ARG(n == 0 || (dy && y && out), "relu_grad: null pointer");
  if (n == 0) return ATL_OK;
  const bool vec = atl::aligned16(dy) && atl::aligned16(y) && atl::aligned16(out);
  reluGradKernel<<<atl::gridFor(vec ? n / 4 + 1 : n), atl::kBlock, 0, stream>>>(dy, y, out, n, vec);
  ATL_LAUNCH_CHECK("relu_grad");
  return ATL_OK;
}

int atl_bias_act(cudaStream_t stream, float* c, const float* bias, int64_t rows, int64_t cols, int act) {
  ATL_CHECK_ARG(rows >= 0 && cols >= 0, "bias_act: rows and cols must be >= 0");
  ATL_CHECK_ARG(act >= 0 && act <= 3, "bias_act: act must be in [0, 3]");
  const int64_t n = rows * cols;
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(c != nullptr, "bias_act: null output");
  biasActKernel<<<atl::gridFor(n), atl::kBlock, 0, stream>>>(c, bias, rows, cols, act);
  ATL_LAUNCH_CHECK("bias_act");
  return ATL_OK;
}

int atl_fill_f32(cudaStream_t stream, float* out, float value, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "fill_f32: n must be >= 0");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(out != nullptr, "fill_f32: null output");
  fillKernel<float><<<atl::gridFor(n), atl::kBlock, 0, stream>>>(out, value, n);
  ATL_LAUNCH_CHECK("fill_f32");
  return ATL_OK;
}

int atl_fill_i32(cudaStream_t stream, int32_t* out, int32_t value, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "fill_i32: n must be >= 0");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(out != nullptr, "fill_i32: null output");
  fillKernel<int32_t><<<atl::gridFor(n), atl::kBlock, 0, stream>>>(out, value, n);
  ATL_LAUNCH_CHECK("fill_i32");
  return ATL_OK;
}

int atl_cast_f32_i32(cudaStream_t stream, const float* x, int32_t* out, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "cast_f32_i32: n must be >= 0");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x && out, "cast_f32_i32: null pointer");
  castF32I32Kernel<<<atl::gridFor(n), atl::kBlock, 0, stream>>>(x, out, n);
  ATL_LAUNCH_CHECK("cast_f32_i32");
  return ATL_OK;
}

int atl_cast_i32_f32(cudaStream_t stream, const int32_t* x, float* out, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "cast_i32_f32: n must be >= 0");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x && out, "cast_i32_f32: null pointer");
  castI32F32Kernel<<<atl::gridFor(n), atl::kBlock, 0, stream>>>(x, out, n);
  ATL_LAUNCH_CHECK("cast_i32_f32");
  return ATL_OK;
}

int atl_f32_to_bf16(cudaStream_t stream, const float* x, uint16_t* out, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "f32_to_bf16: n must be >= 0");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x && out, "f32_to_bf16: null pointer");
  f32ToBf16Kernel<<<atl::gridFor(n), atl::kBlock, 0, stream>>>(x, out, n);
  ATL_LAUNCH_CHECK("f32_to_bf16");
  return ATL_OK;
}

int atl_bf16_to_f32(cudaStream_t stream, const uint16_t* x, float* out, int64_t n) {
  ATL_CHECK_ARG(n >= 0, "bf16_to_f32: n must be >= 0");
  if (n == 0) return ATL_OK;
  ATL_CHECK_ARG(x && out, "bf16_to_f32: null pointer");
  bf16ToF32Kernel<<<atl::gridFor(n), atl::kBlock, 0, stream>>>(x, out, n);
  ATL_LAUNCH_CHECK("bf16_to_f32");
  return ATL_OK;
}

// ---------------------------------------------------------------- int32 binaries
// Integer arithmetic wraps modulo 2^32 like a store into the reference's Int32Array (computed in
// unsigned, so overflow is defined; a product beyond 2^53 is where JavaScript's double rounds first);
// comparisons write 1/0 as float32, as the reference does. It keeps the embedding bag's id count
// (`ids >= 0` on int32) on the device, so steps with multi-hot inputs stay capturable.
namespace {

template <int OP>
__device__ __forceinline__ int32_t intOp(int32_t a, int32_t b) {
  const uint32_t ua = static_cast<uint32_t>(a), ub = static_cast<uint32_t>(b);
  if constexpr (OP == 0) return static_cast<int32_t>(ua + ub);
  else if constexpr (OP == 1) return static_cast<int32_t>(ua - ub);
  else if constexpr (OP == 2) return static_cast<int32_t>(ua * ub);
  else if constexpr (OP == 4) return a > b ? a : b;
  else return a < b ? a : b;
}

template <int OP>
__device__ __forceinline__ float intCompare(int32_t a, int32_t b) {
  if constexpr (OP == 7) return a == b ? 1.0f : 0.0f;
  else if constexpr (OP == 8) return a > b ? 1.0f : 0.0f;
  else return a >= b ? 1.0f : 0.0f;
}

__device__ __forceinline__ int64_t xIndexI32(int mode, int64_t i) { return mode == 2 ? 0 : i; }
__device__ __forceinline__ int64_t yIndexI32(int mode, int64_t i, int64_t inner) {
  return mode == 1 ? 0 : mode == 3 ? i % inner : mode == 4 ? i / inner : i;
}

template <int OP>
__global__ void binaryI32Kernel(const int32_t* __restrict__ x, const int32_t* __restrict__ y, void* __restrict__ out, int64_t n, int mode,
                                int64_t inner) {
  ATL_GRID_STRIDE(i, n) {
    const int32_t a = x[xIndexI32(mode, i)], b = y[yIndexI32(mode, i, inner)];
    if constexpr (OP >= 7) static_cast<float*>(out)[i] = intCompare<OP>(a, b);
    else static_cast<int32_t*>(out)[i] = intOp<OP>(a, b);
  }
}

}  // namespace

int atl_binary_i32(cudaStream_t stream, int op, int mode, const int32_t* x, const int32_t* y, void* out, int64_t n, int64_t inner) {
  ATL_CHECK_ARG(n >= 0, "binary_i32: n must be >= 0");
  ATL_CHECK_ARG(op == 0 || op == 1 || op == 2 || op == 4 || op == 5 || op == 7 || op == 8 || op == 9,
                "binary_i32: op must be add, sub, mul, maximum, minimum or a comparison (0, 1, 2, 4, 5, 7, 8, 9)");
  ATL_CHECK_ARG(mode >= 0 && mode <= 4, "binary_i32: mode must be in [0, 4]");
  ATL_CHECK_ARG(mode < 3 || (inner > 0 && n % inner == 0), "binary_i32: modes 3 and 4 need inner > 0 dividing n");
  ATL_CHECK_ARG(n == 0 || (x && y && out), "binary_i32: null pointer");
  if (n == 0) return ATL_OK;
  const unsigned grid = atl::gridFor(n);
  switch (op) {
    case 0: binaryI32Kernel<0><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, mode, inner); break;
    case 1: binaryI32Kernel<1><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, mode, inner); break;
    case 2: binaryI32Kernel<2><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, mode, inner); break;
    case 4: binaryI32Kernel<4><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, mode, inner); break;
    case 5: binaryI32Kernel<5><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, mode, inner); break;
    case 7: binaryI32Kernel<7><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, mode, inner); break;
    case 8: binaryI32Kernel<8><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, mode, inner); break;
    default: binaryI32Kernel<9><<<grid, atl::kBlock, 0, stream>>>(x, y, out, n, mode, inner); break;
  }
  ATL_LAUNCH_CHECK("binary_i32");
  return ATL_OK;
}
