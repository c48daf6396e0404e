// Loss kernels: elementwise BCE on logits, max(x,0) - x·z + log1p(e^-|x|), in double like the reference.
#include <cmath>

#include "args.h"
#include "kernels.h"

namespace atelier {
namespace {

// bceWithLogits(logits, labels, out)
Napi::Value BceWithLogits(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float* out = f32Arg(info, 2, 0, "bceWithLogits: out must be a Float32Array");
  if (!out) return env.Undefined();
  const int64_t n = lenOf(info[2]);
  float* x = f32Arg(info, 0, n, "bceWithLogits: logits too short");
  float* z = x ? f32Arg(info, 1, n, "bceWithLogits: labels too short") : nullptr;
  if (!z) return env.Undefined();
  for (int64_t i = 0; i < n; i++) {
    const double v = x[i];
    out[i] = static_cast<float>((v > 0 ? v : 0) - v * z[i] + std::log1p(std::exp(-std::fabs(v))));
  }
  return env.Undefined();
}

}  // namespace

void registerLoss(Napi::Env env, Napi::Object exports) {
  exports.Set("bceWithLogits", Napi::Function::New(env, BceWithLogits));
}

}  // namespace atelier
