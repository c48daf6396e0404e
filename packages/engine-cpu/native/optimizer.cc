// Fused in-place optimizer updates (one pass over param, grad and state), optionally on a list of
// rows (sparse embedding updates). Arithmetic in double, stored in float32, like the reference.
#include <cmath>

#include "args.h"
#include "kernels.h"

namespace atelier {
namespace {

struct Rows {
  const int32_t* ids = nullptr;
  int64_t count = 1, D = 0;
};

// Resolves the dense/sparse layout and checks every row id against the parameter.
bool rowsOf(const Napi::CallbackInfo& info, size_t idx, int64_t paramLen, int64_t gradLen, int64_t rowWidth, Rows& r) {
  if (info.Length() <= idx || info[idx].IsNull() || info[idx].IsUndefined()) {
    if (gradLen != paramLen) return fail(info, "optimizer update: grad does not match param");
    r.D = paramLen;
    return true;
  }
  const int64_t count = lenOf(info[idx]);
  const int32_t* ids = i32Arg(info, idx, count, "optimizer update: rows must be an Int32Array");
  if (!ids) return false;
  if (rowWidth <= 0 || gradLen < count * rowWidth) return fail(info, "optimizer update: grad is too short for rows");
  for (int64_t i = 0; i < count; i++)
    if (ids[i] < 0 || (ids[i] + 1) * rowWidth > paramLen) return fail(info, "optimizer update: row id outside the parameter");
  r.ids = ids;
  r.count = count;
  r.D = rowWidth;
  return true;
}

// adam(param, grad, m, v, rows|null, rowWidth, lr, beta1, beta2, eps, step, l2, weightDecay, decoupled)
Napi::Value Adam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float* p = f32Arg(info, 0, 0, "adam: param must be a Float32Array");
  if (!p) return env.Undefined();
  const int64_t pn = lenOf(info[0]);
  float* g = f32Arg(info, 1, 0, "adam: grad must be a Float32Array");
  float* m = g ? f32Arg(info, 2, pn, "adam: m must match param") : nullptr;
  float* v = m ? f32Arg(info, 3, pn, "adam: v must match param") : nullptr;
  if (!v) return env.Undefined();
  Rows r;
  if (!rowsOf(info, 4, pn, lenOf(info[1]), intArg(info, 5), r)) return env.Undefined();
  const double lr = numArg(info, 6), beta1 = numArg(info, 7), beta2 = numArg(info, 8), eps = numArg(info, 9);
  const double step = numArg(info, 10), l2 = numArg(info, 11), wd = numArg(info, 12);
  const bool decoupled = boolArg(info, 13);
  const double bc1 = 1 - std::pow(beta1, step);
  const double sqrtBc2 = std::sqrt(1 - std::pow(beta2, step));
  const double stepSize = lr / bc1;
  const double decay = decoupled ? 1 - lr * wd : 1;
  const double c1 = 1 - beta1, c2 = 1 - beta2;
  for (int64_t ri = 0; ri < r.count; ri++) {
    const int64_t base = r.ids ? static_cast<int64_t>(r.ids[ri]) * r.D : 0;
    const float* gr = g + ri * r.D;
    float* pp = p + base;
    float* mm = m + base;
    float* vv = v + base;
    for (int64_t j = 0; j < r.D; j++) {
      double pi = pp[j];
      const double gi = static_cast<double>(gr[j]) + l2 * pi;
      pi *= decay;
      const double mi = beta1 * mm[j] + c1 * gi;
      const double vi = beta2 * vv[j] + c2 * gi * gi;
      mm[j] = static_cast<float>(mi);
      vv[j] = static_cast<float>(vi);
      pp[j] = static_cast<float>(pi - (stepSize * mi) / (std::sqrt(vi) / sqrtBc2 + eps));
    }
  }
  return env.Undefined();
}

// sgd(param, grad, velocity, rows|null, rowWidth, lr, momentum, nesterov, l2)
Napi::Value Sgd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float* p = f32Arg(info, 0, 0, "sgd: param must be a Float32Array");
  if (!p) return env.Undefined();
  const int64_t pn = lenOf(info[0]);
  float* g = f32Arg(info, 1, 0, "sgd: grad must be a Float32Array");
  float* vel = g ? f32Arg(info, 2, pn, "sgd: velocity must match param") : nullptr;
  if (!vel) return env.Undefined();
  Rows r;
  if (!rowsOf(info, 3, pn, lenOf(info[1]), intArg(info, 4), r)) return env.Undefined();
  const double lr = numArg(info, 5), momentum = numArg(info, 6), l2 = numArg(info, 8);
  const bool nesterov = boolArg(info, 7);
  for (int64_t ri = 0; ri < r.count; ri++) {
    const int64_t base = r.ids ? static_cast<int64_t>(r.ids[ri]) * r.D : 0;
    const float* gr = g + ri * r.D;
    for (int64_t j = 0; j < r.D; j++) {
      const int64_t i = base + j;
      const double gi = static_cast<double>(gr[j]) + l2 * p[i];
      const double vi = momentum * vel[i] + gi;
      vel[i] = static_cast<float>(vi);
      p[i] = static_cast<float>(p[i] - lr * (nesterov ? gi + momentum * vi : vi));
    }
  }
  return env.Undefined();
}

}  // namespace

void registerOptimizer(Napi::Env env, Napi::Object exports) {
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("sgd", Napi::Function::New(env, Sgd));
}

}  // namespace atelier
