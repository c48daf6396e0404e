// Embedding gather (negative id → zero row) and scatter-add (negative row skipped). Both return
// the position of the first out-of-range id (or -1) so the facade raises the reference's error.
// coalesceRows: a sparse gradient's duplicate rows summed (sorted by row, ties by position — the
// reference's order, so the float32 sums are identical).
#include <algorithm>
#include <cstring>
#include <vector>

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

// coalesceRows(rows, values, D, uniq, out) → U: uniq[0..U) the distinct rows ≥ 0 ascending,
// out[0..U·D) their summed value rows. uniq holds ≥ K ids and out ≥ K·D floats.
Napi::Value CoalesceRows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t K = info.Length() > 0 && info[0].IsTypedArray() ? lenOf(info[0]) : 0;
  const int64_t D = intArg(info, 2);
  if (D < 0) return fail(info, "coalesceRows: bad row width"), env.Undefined();
  int32_t* rows = i32Arg(info, 0, K, "coalesceRows: rows must be an Int32Array");
  float* values = rows ? f32Arg(info, 1, K * D, "coalesceRows: values too short") : nullptr;
  int32_t* uniq = values ? i32Arg(info, 3, K, "coalesceRows: uniq too short") : nullptr;
  float* out = uniq ? f32Arg(info, 4, K * D, "coalesceRows: out too short") : nullptr;
  if (!out) return env.Undefined();
  std::vector<int32_t> order;
  order.reserve(static_cast<size_t>(K));
  for (int32_t i = 0; i < K; i++) if (rows[i] >= 0) order.push_back(i);
  std::sort(order.begin(), order.end(), [rows](int32_t a, int32_t b) { return rows[a] != rows[b] ? rows[a] < rows[b] : a < b; });
  int64_t u = -1;
  for (size_t k = 0; k < order.size(); k++) {
    const int32_t i = order[k];
    if (k == 0 || rows[i] != rows[order[k - 1]]) {
      uniq[++u] = rows[i];
      std::memset(out + u * D, 0, sizeof(float) * D);
    }
    float* dst = out + u * D;
    const float* src = values + static_cast<int64_t>(i) * D;
    for (int64_t j = 0; j < D; j++) dst[j] += src[j];
  }
  return Napi::Number::New(env, static_cast<double>(u + 1));
}

// copyRows(src, srcOff, srcStride, dst, dstOff, dstStride, rows, width): `rows` runs of `width`
// floats (Concat and Slice on float32 without a typed-array view per row).
Napi::Value CopyRows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t so = intArg(info, 1), ss = intArg(info, 2), dof = intArg(info, 4), ds = intArg(info, 5), rows = intArg(info, 6), w = intArg(info, 7);
  if (so < 0 || ss < 0 || dof < 0 || ds < 0 || rows < 0 || w < 0) return fail(info, "copyRows: bad offsets"), env.Undefined();
  if (rows == 0 || w == 0) return env.Undefined();
  float* src = f32Arg(info, 0, so + (rows - 1) * ss + w, "copyRows: src too short");
  float* dst = src ? f32Arg(info, 3, dof + (rows - 1) * ds + w, "copyRows: dst too short") : nullptr;
  if (!dst) return env.Undefined();
  for (int64_t r = 0; r < rows; r++) std::memcpy(dst + dof + r * ds, src + so + r * ss, sizeof(float) * w);
  return env.Undefined();
}

}  // namespace

void registerEmbedding(Napi::Env env, Napi::Object exports) {
  exports.Set("gather", Napi::Function::New(env, Gather));
  exports.Set("scatterAdd", Napi::Function::New(env, ScatterAdd));
  exports.Set("coalesceRows", Napi::Function::New(env, CoalesceRows));
  exports.Set("copyRows", Napi::Function::New(env, CopyRows));
}

}  // namespace atelier
