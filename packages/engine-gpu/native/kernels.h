// Launchers of the engine-gpu CUDA kernels: one .cu per kernel family under native/kernels/. Every
// pointer is a device pointer; every launcher enqueues on `stream`, never synchronises, and ends
// with ATL_LAUNCH_CHECK(), so a bad launch returns non-zero and atl_last_error() names the file and
// line. Launchers check their shapes (n ≥ 0, ...) and return ATL_BAD_ARGS with a message when wrong.
// Data-dependent errors (a label or id out of range) cannot be seen by the host without a sync: the
// kernel records the first one in the device error word (atl_device_error_word), which the runtime
// checks at the next synchronisation (runtime.cc) and turns into an exception.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cuda_runtime.h>

extern "C" {

// ---------------------------------------------------------------- errors
enum AtlStatus { ATL_OK = 0, ATL_CUDA_ERROR = 1, ATL_BAD_ARGS = 2 };
/** Message of the last failure on this thread ("kernels/elementwise.cu:120: invalid argument (binary)"). */
const char* atl_last_error();
int atl_fail(const char* file, int line, const char* what);
int atl_fail_cuda(const char* file, int line, cudaError_t err, const char* what);

/** Device-side error record: {code, index, value, limit}; code 0 = none. Lives in device memory. */
enum AtlDeviceErrorCode { ATL_DEV_OK = 0, ATL_DEV_LABEL_RANGE = 1, ATL_DEV_ID_RANGE = 2, ATL_DEV_ROW_RANGE = 3 };
/** Allocates the error word on the current device (once); the kernels below write to it. */
int atl_device_errors_init();
/** Copies the word to the host (synchronous on `stream`) and clears it; out: int32[4]. */
int atl_device_errors_take(cudaStream_t stream, int32_t* out);
int32_t* atl_device_error_word();
/** Frees this thread's error word (runtime teardown). */
void atl_device_errors_release();

#define ATL_LAUNCH_CHECK(what)                                                    \
  do {                                                                            \
    cudaError_t atl_e_ = cudaGetLastError();                                      \
    if (atl_e_ != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, atl_e_, what); \
  } while (0)

// ---------------------------------------------------------------- elementwise.cu
/** op: 0 relu, 1 sigmoid, 2 tanh, 3 neg, 4 square, 5 exp, 6 log, 7 sqrt, 8 abs, 9 reciprocal,
 *  10 sign, 11 softplus, 12 gelu (tanh form), 13 step (v > 0), 14 isfinite. Same formulas as the
 *  engine's reference (backends/cpu/elementwise-kernels.ts), in float32 arithmetic. */
int atl_unary(cudaStream_t stream, int op, const float* x, float* out, int64_t n);

/** op: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum, 6 pow, 7 equal, 8 greater, 9 greater_equal
 *  (comparisons give 1/0). mode: 0 same shape; 1 y is a scalar; 2 x is a scalar; 3 y is a row
 *  vector of length `inner` repeated over x; 4 y has one value per row of x ([rows, inner] op [rows, 1]).
 *  n = elements of out. */
int atl_binary(cudaStream_t stream, int op, int mode, const float* x, const float* y, float* out, int64_t n, int64_t inner);

/** General broadcast: out has `rank` ≤ 6 dims `shape`; xStrides/yStrides are element strides per out
 *  dim (0 where that input is broadcast). Host arrays, copied into the launch. */
int atl_binary_strided(cudaStream_t stream, int op, const float* x, const float* y, float* out, int rank, const int64_t* shape,
                       const int64_t* xStrides, const int64_t* yStrides);

/** int32 x, y (same modes as atl_binary). op 0 add, 1 sub, 2 mul (wrapping modulo 2^32, like the
 *  reference's Int32Array), 4 maximum, 5 minimum → int32 out; 7 equal, 8 greater, 9 greater_equal →
 *  float32 1/0 out. */
int atl_binary_i32(cudaStream_t stream, int op, int mode, const int32_t* x, const int32_t* y, void* out, int64_t n, int64_t inner);

/** out[i] = y[i] > 0 ? dy[i] : 0 (ReLU backward through its output y). */
int atl_relu_grad(cudaStream_t stream, const float* dy, const float* y, float* out, int64_t n);

/** In place: c[r, j] = act(c[r, j] + (bias ? bias[j] : 0)); act 0 none, 1 relu, 2 sigmoid, 3 tanh.
 *  The GEMM epilogue for what cuBLASLt's epilogues do not cover (sigmoid, tanh). */
int atl_bias_act(cudaStream_t stream, float* c, const float* bias, int64_t rows, int64_t cols, int act);

/** out[i] = value (float32 fill) / (int32 fill). */
int atl_fill_f32(cudaStream_t stream, float* out, float value, int64_t n);
int atl_fill_i32(cudaStream_t stream, int32_t* out, int32_t value, int64_t n);
/** Cast: float→int32 truncates toward zero like the reference (Math.trunc); int32→float exact. */
int atl_cast_f32_i32(cudaStream_t stream, const float* x, int32_t* out, int64_t n);
int atl_cast_i32_f32(cudaStream_t stream, const int32_t* x, float* out, int64_t n);
/** float32 → bfloat16 (round to nearest even) and back, for the bf16 GEMM path. */
int atl_f32_to_bf16(cudaStream_t stream, const float* x, uint16_t* out, int64_t n);
int atl_bf16_to_f32(cudaStream_t stream, const uint16_t* x, float* out, int64_t n);

// ---------------------------------------------------------------- reduce.cu
/** Sum over the last axis: x [rows, cols] → out [rows]. Accumulates in float (pairwise in a block). */
int atl_sum_last(cudaStream_t stream, const float* x, int64_t rows, int64_t cols, float* out);
/** Sum over the leading axis: x [rows, cols] → out [cols] (bias gradients). */
int atl_sum_rows(cudaStream_t stream, const float* x, int64_t rows, int64_t cols, float* out);
/** Sum / max over the middle axis of [outer, len, inner] → [outer, inner] (any single axis, or
 *  contiguous axes flattened). op: 0 sum, 1 max. */
int atl_reduce_mid(cudaStream_t stream, int op, const float* x, int64_t outer, int64_t len, int64_t inner, float* out);
/** Index of the max over the last axis (first on ties): x [rows, cols] → out int32 [rows]. */
int atl_argmax_last(cudaStream_t stream, const float* x, int64_t rows, int64_t cols, int32_t* out);
/** g = y > 0 ? dy : 0 and db[j] = Σ_r g[r, j] in one pass ([rows, cols]). */
int atl_relu_grad_bias_sum(cudaStream_t stream, const float* dy, const float* y, int64_t rows, int64_t cols, float* g, float* db);
/** out[0] = Σ x[i]² over n (gradient norms); out is one float, overwritten. */
int atl_sum_squares(cudaStream_t stream, const float* x, int64_t n, float* out);

// ---------------------------------------------------------------- softmax.cu (+ losses)
/** Row softmax (or log-softmax when log ≠ 0) of x [rows, m], max-subtracted. */
int atl_softmax(cudaStream_t stream, const float* x, int64_t rows, int64_t m, float* out, int log);
/** loss[r] = −log softmax(logits[r])[labels[r]], probs = softmax(logits). A label outside [0, c)
 *  records ATL_DEV_LABEL_RANGE {row, label, c} and gives NaN loss for that row. */
int atl_sparse_softmax_ce(cudaStream_t stream, const float* logits, const int32_t* labels, int64_t n, int64_t c, float* loss, float* probs);
/** out[i] = max(x,0) − x·z + log1p(exp(−|x|)) (binary cross-entropy on logits x, labels z). */
int atl_bce_with_logits(cudaStream_t stream, const float* x, const float* z, float* out, int64_t n);
/** out [n, depth] = one-hot of ids (ids outside [0, depth) give a zero row, like the reference). */
int atl_one_hot(cudaStream_t stream, const int32_t* ids, int64_t n, int64_t depth, float onValue, float offValue, float* out);

// ---------------------------------------------------------------- layernorm.cu
/** y = (x − mean) / sqrt(var + eps) · gamma + beta over the last axis of x [rows, d]; mean and rstd
 *  [rows] are saved for the backward. gamma/beta may be null (1 / 0). */
int atl_layernorm_forward(cudaStream_t stream, const float* x, const float* gamma, const float* beta, int64_t rows, int64_t d, float eps,
                          float* y, float* mean, float* rstd);
/** dx, and dgamma/dbeta summed over rows (may be null). */
int atl_layernorm_backward(cudaStream_t stream, const float* dy, const float* x, const float* gamma, const float* mean, const float* rstd,
                           int64_t rows, int64_t d, float* dx, float* dgamma, float* dbeta);

// ---------------------------------------------------------------- dropout.cu
/** Philox4x32-10 counter-based dropout: mask[i] = (u(seed, offset + i) < keep) ? 1/keep : 0 and
 *  out = x · mask (x may be null: mask only). u is the i-th uniform float in [0, 1) of the stream
 *  (key = seed, counter = (offset + i) / 4, lane = (offset + i) % 4), uniform = (bits >> 8) · 2⁻²⁴.
 *  The same function is compiled for the host (philox.h) as the kernel's CPU twin. */
int atl_dropout(cudaStream_t stream, const float* x, float* out, float* mask, int64_t n, float keep, uint64_t seed, uint64_t offset);

// ---------------------------------------------------------------- embedding.cu
/** out [n, d] = table[ids[i]] for table [v, d]; a negative id is padding (a zero row, like the
 *  reference); an id ≥ v records ATL_DEV_ID_RANGE {position, id, v} and gives a zero row. */
int atl_gather(cudaStream_t stream, const float* table, int64_t v, int64_t d, const int32_t* ids, int64_t n, float* out);
/** out [numRows, d] = 0, then out[rows[i]] += values[i] (atomicAdd). Row outside range: ATL_DEV_ROW_RANGE. */
int atl_scatter_add(cudaStream_t stream, const float* values, int64_t d, const int32_t* rows, int64_t k, int64_t numRows, float* out);
/** Sparse gradient rows summed per distinct row, with a static output size for CUDA Graphs:
 *  uniq [k] holds the distinct rows ascending then −1 padding, out [k, d] their sums then zeros;
 *  *count (device int32) the number of distinct rows. scratch needs atl_coalesce_scratch_bytes(k, d). */
size_t atl_coalesce_scratch_bytes(int64_t k, int64_t d);
int atl_coalesce_rows(cudaStream_t stream, const int32_t* rows, const float* values, int64_t k, int64_t d, int32_t* uniq, float* out,
                      int32_t* count, void* scratch);

// ---------------------------------------------------------------- copy.cu
/** `rows` runs of `width` floats from src[srcOff + r·srcStride] to dst[dstOff + r·dstStride]
 *  (Concat, 2-D Slice). 4-byte elements, so int32 data copies too. */
int atl_copy_rows(cudaStream_t stream, const void* src, int64_t srcOff, int64_t srcStride, void* dst, int64_t dstOff, int64_t dstStride,
                  int64_t rows, int64_t width);
/** General transpose of a rank ≤ 6 tensor: out dim k = in dim perm[k]. 4-byte elements. */
int atl_transpose(cudaStream_t stream, const void* x, void* out, int rank, const int64_t* inShape, const int32_t* perm);
/** Broadcast x (rank ≤ 6, strides 0 where broadcast) into out of `shape`. 4-byte elements. */
int atl_broadcast_to(cudaStream_t stream, const void* x, void* out, int rank, const int64_t* shape, const int64_t* xStrides);

// ---------------------------------------------------------------- optimizer.cu
/** Scalars the optimizer kernels read from device memory, so a captured CUDA Graph picks up this
 *  step's values at replay: the backend writes them (a tiny H2D copy from pinned memory, captured
 *  with the graph) before the update kernels. */
struct AtlOptScalars {
  float lr;
  float beta1, beta2, eps;
  float biasCorrection1; // 1 − beta1^step
  float biasCorrection2; // 1 − beta2^step
  float l2;              // added to the gradient (coupled weight decay)
  float weightDecay;     // decoupled (AdamW): p −= lr · weightDecay · p
  float momentum;        // SGD
};
/** Adam / AdamW (decoupled ≠ 0), dense (rows null: n = param size) or sparse rows (k rows of width
 *  rowWidth; grad is [k, rowWidth]; rows < 0 are padding and skipped). Same update order as the
 *  engine's reference (optimizers/optimizer.ts). */
int atl_adam(cudaStream_t stream, float* param, const float* grad, float* m, float* v, const int32_t* rows, int64_t k, int64_t rowWidth,
             int64_t n, const AtlOptScalars* scalars, int decoupled);
/** SGD with momentum (nesterov ≠ 0 for Nesterov), dense or sparse like atl_adam. */
int atl_sgd(cudaStream_t stream, float* param, const float* grad, float* velocity, const int32_t* rows, int64_t k, int64_t rowWidth,
            int64_t n, const AtlOptScalars* scalars, int nesterov);
/** Adagrad (accumulator += g², p −= lr · g / (sqrt(acc) + eps)), dense or sparse. */
int atl_adagrad(cudaStream_t stream, float* param, const float* grad, float* acc, const int32_t* rows, int64_t k, int64_t rowWidth,
                int64_t n, const AtlOptScalars* scalars);

}  // extern "C"
