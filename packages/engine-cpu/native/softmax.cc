// Softmax family along the last axis and sparse softmax cross-entropy, in double per row like the
// TS reference (max-shifted, so large logits do not overflow); results rounded to float32 once.
#include <cmath>
#include <limits>

#include "args.h"
#include "kernels.h"

namespace atelier {
namespace {

inline double rowMax(const float* x, int64_t m) {
  double mx = -std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < m; j++) if (x[j] > mx) mx = x[j];
  return mx;
}

inline double rowExpSum(const float* x, int64_t m, double mx) {
  double s = 0;
  for (int64_t j = 0; j < m; j++) s += std::exp(static_cast<double>(x[j]) - mx);
  return s;
}

// softmax(x, rows, m, out, log): out = softmax (or log-softmax) of each row of width m.
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t rows = intArg(info, 1), m = intArg(info, 2);
  if (rows < 0 || m < 1) return fail(info, "softmax: bad rows or width"), env.Undefined();
  float* x = f32Arg(info, 0, rows * m, "softmax: x is too short");
  float* out = x ? f32Arg(info, 3, rows * m, "softmax: out is too short") : nullptr;
  if (!out) return env.Undefined();
  const bool log = boolArg(info, 4);
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * m;
    float* o = out + r * m;
    const double mx = rowMax(xr, m);
    const double s = rowExpSum(xr, m, mx);
    if (log) {
      const double lse = mx + std::log(s);
      for (int64_t j = 0; j < m; j++) o[j] = static_cast<float>(xr[j] - lse);
    } else {
      for (int64_t j = 0; j < m; j++) o[j] = static_cast<float>(std::exp(xr[j] - mx) / s);
    }
  }
  return env.Undefined();
}

// sparseSoftmaxCrossEntropy(logits, labels, n, c, loss, probs): returns -1, or the first row whose
// label is outside [0, c) (the caller throws the reference's error).
Napi::Value SparseSoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t n = intArg(info, 2), c = intArg(info, 3);
  if (n < 0 || c < 1) return fail(info, "sparseSoftmaxCrossEntropy: bad n or c"), env.Undefined();
  float* x = f32Arg(info, 0, n * c, "sparseSoftmaxCrossEntropy: logits too short");
  int32_t* y = x ? i32Arg(info, 1, n, "sparseSoftmaxCrossEntropy: labels too short") : nullptr;
  float* loss = y ? f32Arg(info, 4, n, "sparseSoftmaxCrossEntropy: loss too short") : nullptr;
  float* probs = loss ? f32Arg(info, 5, n * c, "sparseSoftmaxCrossEntropy: probs too short") : nullptr;
  if (!probs) return env.Undefined();
  for (int64_t r = 0; r < n; r++) {
    const float* xr = x + r * c;
    float* p = probs + r * c;
    const double mx = rowMax(xr, c);
    const double lse = mx + std::log(rowExpSum(xr, c, mx));
    for (int64_t j = 0; j < c; j++) p[j] = static_cast<float>(std::exp(xr[j] - lse));
    const int32_t label = y[r];
    if (label < 0 || label >= c) return Napi::Number::New(env, static_cast<double>(r));
    loss[r] = static_cast<float>(lse - xr[label]);
  }
  return Napi::Number::New(env, -1);
}

}  // namespace

void registerSoftmax(Napi::Env env, Napi::Object exports) {
  exports.Set("softmax", Napi::Function::New(env, Softmax));
  exports.Set("sparseSoftmaxCrossEntropy", Napi::Function::New(env, SparseSoftmaxCrossEntropy));
}

}  // namespace atelier
