// Node-API entry point: binds the kernels to JS. Arrays are used in place (zero copy); every
// binding checks argument types and lengths before touching memory.
#include <napi.h>

#include "args.h"
#include "gemm.h"
#include "kernels.h"
#include "thread-pool.h"

namespace atelier {
namespace {

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto o = Napi::Object::New(env);
  o.Set("isa", gemmIsa());
  o.Set("threads", threadCount());
#if defined(__x86_64__)
  o.Set("avx2", __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"));
  o.Set("avx512f", static_cast<bool>(__builtin_cpu_supports("avx512f")));
#endif
  return o;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int64_t n = intArg(info, 0);
  if (n < 1 || n > 256) {
    fail(info, "setThreads: expected an integer in [1, 256]");
    return info.Env().Undefined();
  }
  setThreadCount(static_cast<int>(n));
  return Napi::Number::New(info.Env(), threadCount());
}

Napi::Value UseIsa(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) return fail(info, "useIsa: expected a string"), info.Env().Undefined();
  return Napi::Boolean::New(info.Env(), useGemmIsa(info[0].As<Napi::String>().Utf8Value()));
}

// sgemm(M, N, K, a, transA, b, transB, c, bias | null, activation)
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t M = intArg(info, 0), N = intArg(info, 1), K = intArg(info, 2);
  if (M < 0 || N < 0 || K < 0) return fail(info, "sgemm: M, N, K must be non-negative integers"), env.Undefined();
  float* a = f32Arg(info, 3, M * K, "sgemm: a must be a Float32Array of at least M*K");
  if (!a) return env.Undefined();
  float* b = f32Arg(info, 5, K * N, "sgemm: b must be a Float32Array of at least K*N");
  if (!b) return env.Undefined();
  float* c = f32Arg(info, 7, M * N, "sgemm: c must be a Float32Array of at least M*N");
  if (!c) return env.Undefined();
  float* bias = nullptr;
  if (info.Length() > 8 && !info[8].IsNull() && !info[8].IsUndefined()) {
    bias = f32Arg(info, 8, N, "sgemm: bias must be a Float32Array of at least N");
    if (!bias) return env.Undefined();
  }
  const int64_t act = intArg(info, 9);
  if (act < 0 || act > 3) return fail(info, "sgemm: activation must be 0..3"), env.Undefined();
  sgemm(M, N, K, a, boolArg(info, 4), b, boolArg(info, 6), c, bias, static_cast<Activation>(act));
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  selectGemmKernel();
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("useIsa", Napi::Function::New(env, UseIsa));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("sgemm", Napi::Function::New(env, Sgemm));
  registerKernelBindings(env, exports);
  return exports;
}

}  // namespace
}  // namespace atelier

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return atelier::Init(env, exports); }

NODE_API_MODULE(atelier_engine_cpu, InitModule)
