// Reductions: column sums (bias gradients; Sum over axis 0 of a 2-D view), row sums (Sum over the
// last axis) and ReLU backward fused with the bias-gradient column sum. Float64 accumulation in
// the reference's order, so results match it exactly.
#include <vector>

#include "args.h"
#include "bits.h"
#include "kernels.h"

namespace atelier {
namespace {

thread_local std::vector<double> acc;

void columnSums(const float* g, int64_t rows, int64_t cols, float* out) {
  acc.assign(static_cast<size_t>(cols), 0.0);
  double* a = acc.data();
  for (int64_t i = 0; i < rows; i++) {
    const float* r = g + i * cols;
    for (int64_t j = 0; j < cols; j++) a[j] += r[j];
  }
  for (int64_t j = 0; j < cols; j++) out[j] = static_cast<float>(a[j]);
}

// sumRows(x, rows, cols, out[cols]): column sums over the leading axis.
Napi::Value SumRows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t rows = intArg(info, 1), cols = intArg(info, 2);
  if (rows < 0 || cols < 0) return fail(info, "sumRows: bad shape"), env.Undefined();
  float* x = f32Arg(info, 0, rows * cols, "sumRows: x is too short");
  float* out = x ? f32Arg(info, 3, cols, "sumRows: out is too short") : nullptr;
  if (!out) return env.Undefined();
  columnSums(x, rows, cols, out);
  return env.Undefined();
}

// sumLast(x, rows, cols, out[rows]): row sums over the last axis (double accumulator, in order).
Napi::Value SumLast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t rows = intArg(info, 1), cols = intArg(info, 2);
  if (rows < 0 || cols < 0) return fail(info, "sumLast: bad shape"), env.Undefined();
  float* x = f32Arg(info, 0, rows * cols, "sumLast: x is too short");
  float* out = x ? f32Arg(info, 3, rows, "sumLast: out is too short") : nullptr;
  if (!out) return env.Undefined();
  for (int64_t r = 0; r < rows; r++) {
    double s = 0;
    const float* p = x + r * cols;
    for (int64_t j = 0; j < cols; j++) s += p[j];
    out[r] = static_cast<float>(s);
  }
  return env.Undefined();
}

// reluGradBiasSum(dy, y, rows, cols, g[rows*cols], db[cols])
Napi::Value ReluGradBiasSum(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t rows = intArg(info, 2), cols = intArg(info, 3);
  if (rows < 0 || cols < 0) return fail(info, "reluGradBiasSum: bad shape"), env.Undefined();
  const int64_t n = rows * cols;
  float* dy = f32Arg(info, 0, n, "reluGradBiasSum: dy is too short");
  float* y = dy ? f32Arg(info, 1, n, "reluGradBiasSum: y is too short") : nullptr;
  float* g = y ? f32Arg(info, 4, n, "reluGradBiasSum: g is too short") : nullptr;
  float* db = g ? f32Arg(info, 5, cols, "reluGradBiasSum: db is too short") : nullptr;
  if (!db) return env.Undefined();
  acc.assign(static_cast<size_t>(cols), 0.0);
  double* a = acc.data();
  for (int64_t i = 0; i < rows; i++) {
    const int64_t o = i * cols;
    for (int64_t j = 0; j < cols; j++) {
      const float v = keepIf(dy[o + j], y[o + j] > 0.f);
      g[o + j] = v;
      a[j] += v;
    }
  }
  for (int64_t j = 0; j < cols; j++) db[j] = static_cast<float>(a[j]);
  return env.Undefined();
}

}  // namespace

void registerReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("sumRows", Napi::Function::New(env, SumRows));
  exports.Set("sumLast", Napi::Function::New(env, SumLast));
  exports.Set("reluGradBiasSum", Napi::Function::New(env, ReluGradBiasSum));
}

}  // namespace atelier
