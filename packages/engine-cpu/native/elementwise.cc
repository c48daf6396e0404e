// Elementwise kernels on float32: binary ops with the broadcast shapes training uses (same shape,
// scalar on either side, row vector on the right, one value per row on the right — the softmax
// gradients' [N,C] op [N,1]), unary activations, and ReLU's backward.
// Add/Sub/Mul/Div in float32 round exactly like the reference's double op rounded to float32;
// the transcendental activations compute in double like the reference.
#include <cmath>

#include "args.h"
#include "bits.h"
#include "kernels.h"

namespace atelier {
namespace {

enum BinOp { Add = 0, Sub = 1, Mul = 2, Div = 3, Maximum = 4, Minimum = 5 };
enum Mode { Same = 0, ScalarB = 1, ScalarA = 2, RowB = 3, ColB = 4 };

template <int OP>
inline float apply(float a, float b) {
  if constexpr (OP == Add) return a + b;
  if constexpr (OP == Sub) return a - b;
  if constexpr (OP == Mul) return a * b;
  if constexpr (OP == Div) return a / b;
  if constexpr (OP == Maximum) return a >= b ? a : b;
  return a <= b ? a : b;
}

template <int OP>
void binary(const float* x, const float* y, float* out, int64_t n, int64_t m, int mode) {
  switch (mode) {
    case Same:
      for (int64_t i = 0; i < n; i++) out[i] = apply<OP>(x[i], y[i]);
      break;
    case ScalarB: {
      const float b = y[0];
      for (int64_t i = 0; i < n; i++) out[i] = apply<OP>(x[i], b);
      break;
    }
    case ScalarA: {
      const float a = x[0];
      for (int64_t i = 0; i < n; i++) out[i] = apply<OP>(a, y[i]);
      break;
    }
    case RowB:
      for (int64_t i = 0; i < n; i += m)
        for (int64_t j = 0; j < m; j++) out[i + j] = apply<OP>(x[i + j], y[j]);
      break;
    case ColB:  // y holds one value per row of width m = n / y.length
      for (int64_t r = 0, i = 0; i < n; r++, i += m) {
        const float b = y[r];
        for (int64_t j = 0; j < m; j++) out[i + j] = apply<OP>(x[i + j], b);
      }
      break;
  }
}

// binary(op, mode, x, y, out): out.length elements; y (or x for ScalarA) sized by the mode.
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t op = intArg(info, 0), mode = intArg(info, 1);
  if (op < 0 || op > 5 || mode < 0 || mode > 4) return fail(info, "binary: bad op or mode"), env.Undefined();
  float* out = f32Arg(info, 4, 0, "binary: out must be a Float32Array");
  if (!out) return env.Undefined();
  const int64_t n = lenOf(info[4]);
  float* x = f32Arg(info, 2, mode == ScalarA ? 1 : n, "binary: x is too short");
  if (!x) return env.Undefined();
  float* y = f32Arg(info, 3, mode == Same ? n : 1, "binary: y is too short");
  if (!y) return env.Undefined();
  int64_t m = lenOf(info[3]);
  if ((mode == RowB || mode == ColB) && (m == 0 || n % m != 0)) return fail(info, "binary: row operand must divide the output"), env.Undefined();
  if (mode == ColB) m = n / m;  // row width
  switch (op) {
    case Add: binary<Add>(x, y, out, n, m, static_cast<int>(mode)); break;
    case Sub: binary<Sub>(x, y, out, n, m, static_cast<int>(mode)); break;
    case Mul: binary<Mul>(x, y, out, n, m, static_cast<int>(mode)); break;
    case Div: binary<Div>(x, y, out, n, m, static_cast<int>(mode)); break;
    case Maximum: binary<Maximum>(x, y, out, n, m, static_cast<int>(mode)); break;
    default: binary<Minimum>(x, y, out, n, m, static_cast<int>(mode)); break;
  }
  return env.Undefined();
}

enum UnOp { Relu = 0, Sigmoid = 1, Tanh = 2, Neg = 3, Square = 4, Exp = 5 };

// unary(op, x, out)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t op = intArg(info, 0);
  float* out = f32Arg(info, 2, 0, "unary: out must be a Float32Array");
  if (!out) return env.Undefined();
  const int64_t n = lenOf(info[2]);
  float* x = f32Arg(info, 1, n, "unary: x is too short");
  if (!x) return env.Undefined();
  switch (op) {
    case Relu:
      for (int64_t i = 0; i < n; i++) out[i] = relu(x[i]);  // NaN passes through
      break;
    case Sigmoid:
      for (int64_t i = 0; i < n; i++) {
        const double v = x[i];
        out[i] = static_cast<float>(v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v)));
      }
      break;
    case Tanh:
      for (int64_t i = 0; i < n; i++) out[i] = static_cast<float>(std::tanh(static_cast<double>(x[i])));
      break;
    case Neg:
      for (int64_t i = 0; i < n; i++) out[i] = -x[i];
      break;
    case Square:
      for (int64_t i = 0; i < n; i++) out[i] = x[i] * x[i];
      break;
    case Exp:
      for (int64_t i = 0; i < n; i++) out[i] = static_cast<float>(std::exp(static_cast<double>(x[i])));
      break;
    default:
      return fail(info, "unary: bad op"), env.Undefined();
  }
  return env.Undefined();
}

// reluGrad(dy, y, out): out = y > 0 ? dy : 0
Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float* out = f32Arg(info, 2, 0, "reluGrad: out must be a Float32Array");
  if (!out) return env.Undefined();
  const int64_t n = lenOf(info[2]);
  float* dy = f32Arg(info, 0, n, "reluGrad: dy is too short");
  float* y = dy ? f32Arg(info, 1, n, "reluGrad: y is too short") : nullptr;
  if (!y) return env.Undefined();
  for (int64_t i = 0; i < n; i++) out[i] = keepIf(dy[i], y[i] > 0.f);
  return env.Undefined();
}

}  // namespace

void registerElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("reluGrad", Napi::Function::New(env, ReluGrad));
}

}  // namespace atelier
