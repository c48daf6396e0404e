// Argument checks shared by the bindings: a bad call throws a TypeError naming the function and the
// argument, before anything reaches CUDA. Pointers are JS numbers: non-negative integers < 2^53.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

constexpr double kMaxSafe = 9007199254740992.0;  // 2^53

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* fn) : info_(info), fn_(fn) {}

  bool ok() const { return ok_; }
  Napi::Env env() const { return info_.Env(); }

  /** A device (or pinned) pointer; 0 only when `nullable`. */
  void* ptr(size_t i, const char* name, bool nullable = false) {
    const double v = integral(i);
    if (!ok_) return nullptr;
    if (std::isnan(v) || v < 0 || (v == 0 && !nullable)) {
      fail(name, nullable ? "must be a pointer (a non-negative integer below 2^53, 0 for none)" : "must be a non-zero pointer (an integer below 2^53)");
      return nullptr;
    }
    return reinterpret_cast<void*>(static_cast<uintptr_t>(v));
  }

  /** A non-negative integer below 2^53 (sizes, counts, offsets). */
  int64_t count(size_t i, const char* name) {
    const double v = integral(i);
    if (!ok_) return 0;
    if (std::isnan(v) || v < 0) return fail(name, "must be a non-negative integer below 2^53"), 0;
    return static_cast<int64_t>(v);
  }

  /** An integer in [lo, hi]. */
  int64_t integer(size_t i, const char* name, int64_t lo, int64_t hi) {
    const double v = integral(i);
    if (!ok_) return 0;
    if (std::isnan(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
      fail(name, ("must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]").c_str());
      return 0;
    }
    return static_cast<int64_t>(v);
  }

  double number(size_t i, const char* name) {
    if (!ok_) return 0;
    if (info_.Length() <= i || !info_[i].IsNumber()) return fail(name, "must be a number"), 0;
    return info_[i].As<Napi::Number>().DoubleValue();
  }

  bool flag(size_t i, const char* name) {
    if (!ok_) return false;
    if (info_.Length() <= i || !info_[i].IsBoolean()) return fail(name, "must be a boolean"), false;
    return info_[i].As<Napi::Boolean>().Value();
  }

  /** An array of `len` integers (len = -1: any length in [1, maxLen]), each in [lo, hi]. */
  std::vector<int64_t> ints(size_t i, const char* name, int64_t len, int64_t maxLen, int64_t lo, int64_t hi) {
    std::vector<int64_t> out;
    if (!ok_) return out;
    if (info_.Length() <= i || !info_[i].IsArray()) return fail(name, "must be an array of integers"), out;
    auto arr = info_[i].As<Napi::Array>();
    const int64_t n = arr.Length();
    if ((len >= 0 && n != len) || n < 1 || n > maxLen) {
      const std::string want = len >= 0 ? "must have " + std::to_string(len) + " elements" : "must have 1 to " + std::to_string(maxLen) + " elements";
      return fail(name, want.c_str()), out;
    }
    for (int64_t k = 0; k < n; ++k) {
      Napi::Value v = arr.Get(static_cast<uint32_t>(k));
      const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : NAN;
      if (!(d == std::trunc(d)) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
        fail(name, ("must hold integers in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]").c_str());
        return {};
      }
      out.push_back(static_cast<int64_t>(d));
    }
    return out;
  }

  /** Throws TypeError("fn: name what") once; later checks are skipped. */
  void fail(const char* name, const char* what) {
    if (!ok_) return;
    ok_ = false;
    Napi::TypeError::New(info_.Env(), std::string(fn_) + ": " + name + " " + what).ThrowAsJavaScriptException();
  }

 private:
  /** The value as an integral double (NaN when it is not a finite integer below 2^53). */
  double integral(size_t i) {
    if (!ok_) return 0;
    if (info_.Length() <= i || !info_[i].IsNumber()) return NAN;
    const double v = info_[i].As<Napi::Number>().DoubleValue();
    if (!std::isfinite(v) || v != std::trunc(v) || std::fabs(v) >= kMaxSafe) return NAN;
    return v;
  }

  const Napi::CallbackInfo& info_;
  const char* fn_;
  bool ok_ = true;
};

}  // namespace atelier
