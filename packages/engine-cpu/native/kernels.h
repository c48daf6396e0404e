// Bindings of the non-GEMM kernel families (one .cc file per family).
#pragma once
#include <napi.h>

namespace atelier {
void registerElementwise(Napi::Env env, Napi::Object exports);
void registerReduce(Napi::Env env, Napi::Object exports);
void registerLoss(Napi::Env env, Napi::Object exports);
void registerSoftmax(Napi::Env env, Napi::Object exports);
void registerOptimizer(Napi::Env env, Napi::Object exports);
void registerEmbedding(Napi::Env env, Napi::Object exports);

inline void registerKernelBindings(Napi::Env env, Napi::Object exports) {
  registerElementwise(env, exports);
  registerReduce(env, exports);
  registerLoss(env, exports);
  registerSoftmax(env, exports);
  registerOptimizer(env, exports);
  registerEmbedding(env, exports);
}
}  // namespace atelier
