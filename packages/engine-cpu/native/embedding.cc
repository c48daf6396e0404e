// Embedding gather (negative id → zero row) and scatter-add (negative row skipped). Both return
// the position of the first out-of-range id (or -1) so the facade raises the reference's error.
#include <cstring>

#include "args.h"
#include "kernels.h"

namespace atelier {
namespace {

// gather(table, V, D, ids, out) → -1 or the index of the first bad id
Napi::Value Gather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t V = intArg(info, 1), D = intArg(info, 2);
  if (V < 0 || D < 0) return fail(info, "gather: bad shape"), env.Undefined();
  float* t = f32Arg(info, 0, V * D, "gather: table is too short");
  if (!t) return env.Undefined();
  const int64_t n = info.Length() > 3 && info[3].IsTypedArray() ? lenOf(info[3]) : 0;
  int32_t* ids = i32Arg(info, 3, n, "gather: ids must be an Int32Array");
  float* out = ids ? f32Arg(info, 4, n * D, "gather: out is too short") : nullptr;
  if (!out) return env.Undefined();
  for (int64_t i = 0; i < n; i++) {
    const int64_t id = ids[i];
    if (id < 0) {
      std::memset(out + i * D, 0, sizeof(float) * D);
      continue;
    }
    if (id >= V) return Napi::Number::New(env, static_cast<double>(i));
    std::memcpy(out + i * D, t + id * D, sizeof(float) * D);
  }
  return Napi::Number::New(env, -1);
}

// scatterAdd(values, D, rows, numRows, out) → -1 or the index of the first bad row; out is
// zeroed first.
Napi::Value ScatterAdd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t D = intArg(info, 1), numRows = intArg(info, 3);
  if (D < 0 || numRows < 0) return fail(info, "scatterAdd: bad shape"), env.Undefined();
  const int64_t n = info.Length() > 2 && info[2].IsTypedArray() ? lenOf(info[2]) : 0;
  int32_t* rows = i32Arg(info, 2, n, "scatterAdd: rows must be an Int32Array");
  float* v = rows ? f32Arg(info, 0, n * D, "scatterAdd: values too short") : nullptr;
  float* out = v ? f32Arg(info, 4, numRows * D, "scatterAdd: out too short") : nullptr;
  if (!out) return env.Undefined();
  std::memset(out, 0, sizeof(float) * numRows * D);
  for (int64_t i = 0; i < n; i++) {
    const int64_t r = rows[i];
    if (r < 0) continue;
    if (r >= numRows) return Napi::Number::New(env, static_cast<double>(i));
    float* dst = out + r * D;
    const float* src = v + i * D;
    for (int64_t j = 0; j < D; j++) dst[j] += src[j];
  }
  return Napi::Number::New(env, -1);
}

}  // namespace

void registerEmbedding(Napi::Env env, Napi::Object exports) {
  exports.Set("gather", Napi::Function::New(env, Gather));
  exports.Set("scatterAdd", Napi::Function::New(env, ScatterAdd));
}

}  // namespace atelier
