// Argument checks shared by the bindings: a bad call throws a TypeError instead of touching
// memory it does not own (the TS facade checks shapes first; this is the last line).
#pragma once
#include <napi.h>

#include <cstdint>

namespace atelier {

inline bool fail(const Napi::CallbackInfo& info, const char* what) {
  Napi::TypeError::New(info.Env(), what).ThrowAsJavaScriptException();
  return false;
}

/** Float32Array argument i with at least minLen elements (nullptr + pending exception otherwise). */
inline float* f32Arg(const Napi::CallbackInfo& info, size_t i, int64_t minLen, const char* name) {
  if (info.Length() <= i || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    fail(info, name);
    return nullptr;
  }
  auto arr = info[i].As<Napi::Float32Array>();
  if (static_cast<int64_t>(arr.ElementLength()) < minLen) {
    fail(info, name);
    return nullptr;
  }
  // An empty array may have no backing store: hand out a valid pointer that is never read.
  static float empty[1];
  return arr.Data() ? arr.Data() : empty;
}

inline int32_t* i32Arg(const Napi::CallbackInfo& info, size_t i, int64_t minLen, const char* name) {
  if (info.Length() <= i || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    fail(info, name);
    return nullptr;
  }
  auto arr = info[i].As<Napi::Int32Array>();
  if (static_cast<int64_t>(arr.ElementLength()) < minLen) {
    fail(info, name);
    return nullptr;
  }
  static int32_t empty[1];
  return arr.Data() ? arr.Data() : empty;
}

inline int64_t lenOf(const Napi::Value& v) { return static_cast<int64_t>(v.As<Napi::TypedArray>().ElementLength()); }

inline int64_t intArg(const Napi::CallbackInfo& info, size_t i) {
  return info.Length() > i && info[i].IsNumber() ? info[i].As<Napi::Number>().Int64Value() : -1;
}
inline double numArg(const Napi::CallbackInfo& info, size_t i) {
  return info.Length() > i && info[i].IsNumber() ? info[i].As<Napi::Number>().DoubleValue() : 0.0;
}
// A boolean (or a number, nonzero = true) read without coercion: napi_coerce_to_bool may run JS, so it
// fails while a worker thread is being terminated, and node-addon-api turns that failure into a fatal
// error that takes the whole process down. Anything else reads as false.
inline bool boolArg(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i) return false;
  const Napi::Value v = info[i];
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value();
  if (v.IsNumber()) return v.As<Napi::Number>().DoubleValue() != 0.0;
  return false;
}

}  // namespace atelier
