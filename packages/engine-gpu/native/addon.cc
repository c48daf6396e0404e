// Node-API entry point of the CUDA addon: the functions of GpuAddon (src/gpu-addon.ts). Every binding
// checks its arguments (TypeError naming the argument) before anything reaches CUDA, and turns a
// CUDA or launcher failure into an Error carrying atl_last_error(). C++ exceptions are off.
#include <napi.h>

#include <cstring>
#include <map>
#include <set>

#include "args.h"
#include "cublaslt.h"
#include "kernels.h"
#include "nvml.h"
#include "runtime.h"

namespace atelier {
namespace {

using V = Napi::Value;
using Info = const Napi::CallbackInfo&;

V done(Napi::Env env, int rc) {
  if (rc != ATL_OK) Napi::Error::New(env, atl_last_error()).ThrowAsJavaScriptException();
  return env.Undefined();
}

bool ready(Napi::Env env) {
  if (runtimeReady()) return true;
  Napi::Error::New(env, "engine-gpu: init(device) was not called").ThrowAsJavaScriptException();
  return false;
}

#define CHECKED(a) \
  if (!(a).ok() || !ready((a).env())) return (a).env().Undefined()

cudaStream_t S() { return runtimeStream(); }
float* F(void* p) { return static_cast<float*>(p); }
int32_t* I(void* p) { return static_cast<int32_t*>(p); }
uint16_t* H(void* p) { return static_cast<uint16_t*>(p); }
V num(Napi::Env env, double v) { return Napi::Number::New(env, v); }

// Handles given to JS, so a stale or made-up one is a TypeError instead of a crash in the driver.
// Per thread, like the runtime's stream: each Node thread that loads the addon has its own.
thread_local std::set<cudaEvent_t> g_events;
thread_local std::set<cudaGraphExec_t> g_graphs;
struct PinnedBuffer {
  napi_ref buffer;  // weak: detached at freePinned so JS cannot touch freed memory
  bool registered;  // fallback: a V8 buffer pinned with cudaHostRegister (the ref is strong then)
};
thread_local std::map<void*, PinnedBuffer> g_pinned;

/** Throws a device error record as an Error; true when there was one. */
bool throwDeviceError(Napi::Env env, const int32_t* errs) {
  if (errs[0] == ATL_DEV_OK) return false;
  Napi::Error::New(env, deviceErrorMessage(errs)).ThrowAsJavaScriptException();
  return true;
}

// ------------------------------------------------------------------ device, memory
V Probe(Info info) {
  Napi::Env env = info.Env();
  ProbeResult r = probeDevices();
  auto o = Napi::Object::New(env);
  o.Set("ok", r.ok);
  if (!r.ok) {
    o.Set("reason", r.reason);
    return o;
  }
  auto list = Napi::Array::New(env, r.devices.size());
  for (size_t i = 0; i < r.devices.size(); ++i) {
    const DeviceInfo& d = r.devices[i];
    auto di = Napi::Object::New(env);
    di.Set("index", d.index);
    di.Set("name", d.name);
    di.Set("totalMemory", static_cast<double>(d.totalMemory));
    di.Set("computeCapability", std::to_string(d.major) + "." + std::to_string(d.minor));
    di.Set("multiProcessors", d.multiProcessors);
    list.Set(static_cast<uint32_t>(i), di);
  }
  o.Set("devices", list);
  o.Set("driverVersion", r.driverVersion);
  o.Set("runtimeVersion", r.runtimeVersion);
  return o;
}

V Init(Info info) {
  Args a(info, "init");
  const int64_t device = a.integer(0, "device", 0, 1023);
  if (!a.ok()) return info.Env().Undefined();
  return done(info.Env(), runtimeInit(static_cast<int>(device)));
}

V LoadCublasLt(Info info) {
  Napi::Env env = info.Env();
  std::string path;
  if (info.Length() > 0 && !info[0].IsUndefined() && !info[0].IsNull()) {
    if (!info[0].IsString()) return Napi::TypeError::New(env, "loadCublasLt: path must be a string").ThrowAsJavaScriptException(), env.Undefined();
    path = info[0].As<Napi::String>().Utf8Value();
  }
  CublasLtStatus s = cublasLtLoad(path.empty() ? nullptr : path.c_str());
  auto o = Napi::Object::New(env);
  o.Set("loaded", s.loaded);
  if (s.loaded) {
    o.Set("path", s.path);
    o.Set("version", static_cast<double>(s.version));
  } else {
    o.Set("reason", s.reason);
  }
  return o;
}

V Malloc(Info info) {
  Args a(info, "malloc");
  const int64_t bytes = a.count(0, "bytes");
  CHECKED(a);
  void* p = nullptr;
  if (int rc = deviceMalloc(static_cast<size_t>(bytes == 0 ? 1 : bytes), &p)) return done(a.env(), rc);
  return num(a.env(), static_cast<double>(reinterpret_cast<uintptr_t>(p)));
}

V Free(Info info) {
  Args a(info, "free");
  void* p = a.ptr(0, "ptr");
  CHECKED(a);
  return done(a.env(), deviceFree(p));
}

V MemGetInfo(Info info) {
  Napi::Env env = info.Env();
  if (!ready(env)) return env.Undefined();
  size_t f = 0, t = 0;
  if (int rc = memGetInfo(&f, &t)) return done(env, rc);
  auto o = Napi::Object::New(env);
  o.Set("free", static_cast<double>(f));
  o.Set("total", static_cast<double>(t));
  return o;
}

void noFinalize(napi_env, void*, void*) {}

V AllocPinned(Info info) {
  Args a(info, "allocPinned");
  const int64_t bytes = a.integer(0, "bytes", 1, int64_t{1} << 40);
  CHECKED(a);
  Napi::Env env = a.env();
  void* p = nullptr;
  napi_value buffer = nullptr;
  bool registered = false;
  if (int rc = pinnedAlloc(static_cast<size_t>(bytes), &p)) return done(env, rc);
  // The ArrayBuffer aliases the page-locked memory; its lifetime is freePinned's, not the GC's.
  if (napi_create_external_arraybuffer(env, p, static_cast<size_t>(bytes), noFinalize, nullptr, &buffer) != napi_ok) {
    // A Node built without external buffers (V8 sandbox): pin a V8-owned buffer instead, which aliases just the same.
    pinnedFree(p);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);
    }
    if (napi_create_arraybuffer(env, static_cast<size_t>(bytes), &p, &buffer) != napi_ok) return done(env, atl_fail(__FILE__, __LINE__, "allocPinned: no ArrayBuffer"));
    if (int rc = pinnedRegister(p, static_cast<size_t>(bytes))) return done(env, rc);
    registered = true;
  }
  napi_ref ref = nullptr;
  napi_create_reference(env, buffer, registered ? 1 : 0, &ref);
  g_pinned[p] = {ref, registered};
  auto o = Napi::Object::New(env);
  o.Set("ptr", num(env, static_cast<double>(reinterpret_cast<uintptr_t>(p))));
  o.Set("buffer", Napi::Value(env, buffer));
  return o;
}

V FreePinned(Info info) {
  Args a(info, "freePinned");
  void* p = a.ptr(0, "ptr");
  if (!a.ok()) return a.env().Undefined();
  Napi::Env env = a.env();
  auto it = g_pinned.find(p);
  if (it == g_pinned.end()) return Napi::TypeError::New(env, "freePinned: ptr is not from allocPinned (or freed already)").ThrowAsJavaScriptException(), env.Undefined();
  const PinnedBuffer pb = it->second;
  g_pinned.erase(it);
  const int rc = pinnedFree(p);
  napi_value buffer = nullptr;
  if (napi_get_reference_value(env, pb.buffer, &buffer) == napi_ok && buffer) Napi::ArrayBuffer(env, buffer).Detach();
  napi_delete_reference(env, pb.buffer);
  return done(env, rc);
}

/** A range check for explicit-size copies: a pointer outside every allocation is a TypeError. */
bool inDevice(Args& a, const void* p, int64_t bytes, const char* name) {
  if (!a.ok() || bytes == 0 || deviceRangeKnown(p, static_cast<size_t>(bytes))) return a.ok();
  a.fail(name, "is not inside a live allocation from malloc of that many bytes");
  return false;
}
bool inPinned(Args& a, const void* p, int64_t bytes, const char* name) {
  if (!a.ok() || bytes == 0 || pinnedRangeKnown(p, static_cast<size_t>(bytes))) return a.ok();
  a.fail(name, "is not inside a live allocation from allocPinned of that many bytes");
  return false;
}

// (dst, src, bytes) on the stream, each pointer checked against the live allocations of its side.
using RangeCheck = bool (*)(Args&, const void*, int64_t, const char*);
V copyBetween(Info info, const char* fn, const char* dstName, RangeCheck dstLive, const char* srcName, RangeCheck srcLive,
              cudaMemcpyKind kind) {
  Args a(info, fn);
  void* dst = a.ptr(0, dstName);
  void* src = a.ptr(1, srcName);
  const int64_t bytes = a.count(2, "bytes");
  dstLive(a, dst, bytes, dstName);
  srcLive(a, src, bytes, srcName);
  CHECKED(a);
  return done(a.env(), copyAsync(dst, src, bytes, kind, fn));
}

V CopyFromPinned(Info info) { return copyBetween(info, "copyFromPinned", "dst", inDevice, "pinnedSrc", inPinned, cudaMemcpyHostToDevice); }
V CopyToPinned(Info info) { return copyBetween(info, "copyToPinned", "pinnedDst", inPinned, "src", inDevice, cudaMemcpyDeviceToHost); }
V CopyDeviceToDevice(Info info) {
  return copyBetween(info, "copyDeviceToDevice", "dst", inDevice, "src", inDevice, cudaMemcpyDeviceToDevice);
}

/** Float32Array / Int32Array / Uint16Array argument: its data and element size. */
bool hostArray(Args& a, Info info, size_t i, const char* name, uint8_t** data, int64_t* length, int* elemSize) {
  if (!a.ok()) return false;
  if (info.Length() <= i || !info[i].IsTypedArray()) return a.fail(name, "must be a Float32Array, Int32Array or Uint16Array"), false;
  auto t = info[i].As<Napi::TypedArray>();
  const napi_typedarray_type type = t.TypedArrayType();
  if (type != napi_float32_array && type != napi_int32_array && type != napi_uint16_array)
    return a.fail(name, "must be a Float32Array, Int32Array or Uint16Array"), false;
  *elemSize = type == napi_uint16_array ? 2 : 4;
  *length = static_cast<int64_t>(t.ElementLength());
  *data = static_cast<uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
  return true;
}

V Upload(Info info) {
  Args a(info, "upload");
  void* dst = a.ptr(0, "dst");
  uint8_t* data = nullptr;
  int64_t length = 0;
  int elem = 4;
  hostArray(a, info, 1, "src", &data, &length, &elem);
  const bool hasOffset = info.Length() > 2 && !info[2].IsUndefined();
  const bool hasCount = info.Length() > 3 && !info[3].IsUndefined();
  const int64_t offset = hasOffset ? a.count(2, "srcOffset") : 0;
  const int64_t count = hasCount ? a.count(3, "count") : length - offset;
  if (a.ok() && (offset > length || count < 0 || count > length - offset)) a.fail("srcOffset + count", "must lie within src");
  inDevice(a, dst, count * elem, "dst");
  CHECKED(a);
  // Pageable source: cudaMemcpyAsync returns once the data is staged, so src may change afterwards.
  return done(a.env(), copyAsync(dst, data + offset * elem, static_cast<size_t>(count * elem), cudaMemcpyHostToDevice, "upload"));
}

V Download(Info info) {
  Args a(info, "download");
  void* src = a.ptr(0, "src");
  uint8_t* data = nullptr;
  int64_t length = 0;
  int elem = 4;
  hostArray(a, info, 1, "dst", &data, &length, &elem);
  inDevice(a, src, length * elem, "src");
  CHECKED(a);
  Napi::Env env = a.env();
  if (int rc = copyAsync(data, src, static_cast<size_t>(length * elem), cudaMemcpyDeviceToHost, "download")) return done(env, rc);
  int32_t errs[4];
  if (int rc = synchronizeAndTakeErrors(errs)) return done(env, rc);
  throwDeviceError(env, errs);
  return env.Undefined();
}

V MemsetZero(Info info) {
  Args a(info, "memsetZero");
  void* p = a.ptr(0, "ptr");
  const int64_t bytes = a.count(1, "bytes");
  inDevice(a, p, bytes, "ptr");
  CHECKED(a);
  return done(a.env(), memsetZero(p, bytes));
}

V Synchronize(Info info) {
  Napi::Env env = info.Env();
  if (!ready(env)) return env.Undefined();
  int32_t errs[4];
  if (int rc = synchronizeAndTakeErrors(errs)) return done(env, rc);
  throwDeviceError(env, errs);
  return env.Undefined();
}

V TakeDeviceErrors(Info info) {
  Napi::Env env = info.Env();
  if (!ready(env)) return env.Undefined();
  int32_t errs[4];
  if (int rc = synchronizeAndTakeErrors(errs)) return done(env, rc);
  auto out = Napi::Int32Array::New(env, 4);
  std::memcpy(out.Data(), errs, sizeof errs);
  return out;
}

// ------------------------------------------------------------------ events
cudaEvent_t eventArg(Args& a, size_t i) {
  auto ev = static_cast<cudaEvent_t>(a.ptr(i, "event"));
  if (a.ok() && !g_events.count(ev)) a.fail("event", "is not a live event from eventCreate");
  return ev;
}

V EventCreate(Info info) {
  Napi::Env env = info.Env();
  if (!ready(env)) return env.Undefined();
  cudaEvent_t ev = nullptr;
  if (int rc = eventCreate(&ev)) return done(env, rc);
  g_events.insert(ev);
  return num(env, static_cast<double>(reinterpret_cast<uintptr_t>(ev)));
}

V EventRecord(Info info) {
  Args a(info, "eventRecord");
  cudaEvent_t ev = eventArg(a, 0);
  CHECKED(a);
  return done(a.env(), eventRecord(ev));
}

V EventQuery(Info info) {
  Args a(info, "eventQuery");
  cudaEvent_t ev = eventArg(a, 0);
  CHECKED(a);
  bool finished = false;
  if (int rc = eventQuery(ev, &finished)) return done(a.env(), rc);
  return Napi::Boolean::New(a.env(), finished);
}

V EventSynchronize(Info info) {
  Args a(info, "eventSynchronize");
  cudaEvent_t ev = eventArg(a, 0);
  CHECKED(a);
  return done(a.env(), eventSynchronize(ev));
}

V EventDestroy(Info info) {
  Args a(info, "eventDestroy");
  cudaEvent_t ev = eventArg(a, 0);
  CHECKED(a);
  g_events.erase(ev);
  return done(a.env(), eventDestroy(ev));
}

// ------------------------------------------------------------------ GEMM
V Gemm(Info info) {
  Args a(info, "gemm");
  const int64_t M = a.count(0, "M"), N = a.count(1, "N"), K = a.count(2, "K");
  void* A = a.ptr(3, "a");
  const bool transA = a.flag(4, "transA");
  void* B = a.ptr(5, "b");
  const bool transB = a.flag(6, "transB");
  void* C = a.ptr(7, "c");
  void* bias = a.ptr(8, "bias", true);
  const int act = static_cast<int>(a.integer(9, "act", 0, 3));
  const int precision = static_cast<int>(a.integer(10, "precision", 0, 2));
  void* ws = a.ptr(11, "workspace", true);
  const int64_t wsBytes = a.count(12, "workspaceBytes");
  void* scratch = a.ptr(13, "scratch", true);
  if (a.ok() && !ws && wsBytes > 0) a.fail("workspace", "must be given when workspaceBytes > 0");
  if (a.ok() && precision == 1 && !scratch) a.fail("scratch", "must be a device buffer of 2*(M*K + K*N) bytes for bf16 precision");
  if (a.ok() && static_cast<double>(M) * static_cast<double>(K) + static_cast<double>(K) * static_cast<double>(N) + static_cast<double>(M) * static_cast<double>(N) > 1e15)
    a.fail("M, N, K", "are too large");
  inDevice(a, A, M * K * 4, "a");
  inDevice(a, B, K * N * 4, "b");
  inDevice(a, C, M * N * 4, "c");
  if (bias) inDevice(a, bias, N * 4, "bias");
  if (ws) inDevice(a, ws, wsBytes, "workspace");
  if (precision == 1) inDevice(a, scratch, 2 * (M * K + K * N), "scratch");
  CHECKED(a);
  return done(a.env(), cublasLtGemm(S(), M, N, K, F(A), transA, F(B), transB, F(C), F(bias), act, precision, ws, static_cast<size_t>(wsBytes), scratch));
}

V GemmBf16(Info info) {
  Args a(info, "gemmBf16");
  const int64_t M = a.count(0, "M"), N = a.count(1, "N"), K = a.count(2, "K");
  void* A = a.ptr(3, "a");
  void* B = a.ptr(4, "b");
  void* C = a.ptr(5, "c");
  void* ws = a.ptr(6, "workspace", true);
  const int64_t wsBytes = a.count(7, "workspaceBytes");
  if (a.ok() && !ws && wsBytes > 0) a.fail("workspace", "must be given when workspaceBytes > 0");
  if (a.ok() && static_cast<double>(M) * static_cast<double>(K) + static_cast<double>(K) * static_cast<double>(N) + static_cast<double>(M) * static_cast<double>(N) > 1e15)
    a.fail("M, N, K", "are too large");
  inDevice(a, A, M * K * 2, "a");
  inDevice(a, B, K * N * 2, "b");
  inDevice(a, C, M * N * 4, "c");
  if (ws) inDevice(a, ws, wsBytes, "workspace");
  CHECKED(a);
  return done(a.env(), cublasLtGemmBf16(S(), M, N, K, H(A), H(B), F(C), ws, static_cast<size_t>(wsBytes)));
}

// ------------------------------------------------------------------ kernels (kernels.h)
constexpr int64_t kI32Min = -2147483648LL, kI32Max = 2147483647LL;

V Unary(Info info) {
  Args a(info, "unary");
  const int op = static_cast<int>(a.integer(0, "op", 0, 14));
  void* x = a.ptr(1, "x");
  void* out = a.ptr(2, "out");
  const int64_t n = a.count(3, "n");
  CHECKED(a);
  return done(a.env(), atl_unary(S(), op, F(x), F(out), n));
}

V Binary(Info info) {
  Args a(info, "binary");
  const int op = static_cast<int>(a.integer(0, "op", 0, 9));
  const int mode = static_cast<int>(a.integer(1, "mode", 0, 4));
  void* x = a.ptr(2, "x");
  void* y = a.ptr(3, "y");
  void* out = a.ptr(4, "out");
  const int64_t n = a.count(5, "n"), inner = a.count(6, "inner");
  CHECKED(a);
  return done(a.env(), atl_binary(S(), op, mode, F(x), F(y), F(out), n, inner));
}

V BinaryI32(Info info) {
  Args a(info, "binaryI32");
  const int op = static_cast<int>(a.integer(0, "op", 0, 9));
  const int mode = static_cast<int>(a.integer(1, "mode", 0, 4));
  void* x = a.ptr(2, "x");
  void* y = a.ptr(3, "y");
  void* out = a.ptr(4, "out");
  const int64_t n = a.count(5, "n"), inner = a.count(6, "inner");
  CHECKED(a);
  return done(a.env(), atl_binary_i32(S(), op, mode, I(x), I(y), out, n, inner));
}

V BinaryStrided(Info info) {
  Args a(info, "binaryStrided");
  const int op = static_cast<int>(a.integer(0, "op", 0, 9));
  void* x = a.ptr(1, "x");
  void* y = a.ptr(2, "y");
  void* out = a.ptr(3, "out");
  const auto shape = a.ints(4, "shape", -1, 6, 0, kI32Max * 1024);
  const auto xs = a.ints(5, "xStrides", static_cast<int64_t>(shape.size()), 6, 0, int64_t{1} << 52);
  const auto ys = a.ints(6, "yStrides", static_cast<int64_t>(shape.size()), 6, 0, int64_t{1} << 52);
  CHECKED(a);
  return done(a.env(), atl_binary_strided(S(), op, F(x), F(y), F(out), static_cast<int>(shape.size()), shape.data(), xs.data(), ys.data()));
}

V ReluGrad(Info info) {
  Args a(info, "reluGrad");
  void* dy = a.ptr(0, "dy");
  void* y = a.ptr(1, "y");
  void* out = a.ptr(2, "out");
  const int64_t n = a.count(3, "n");
  CHECKED(a);
  return done(a.env(), atl_relu_grad(S(), F(dy), F(y), F(out), n));
}

V BiasAct(Info info) {
  Args a(info, "biasAct");
  void* c = a.ptr(0, "c");
  void* bias = a.ptr(1, "bias", true);
  const int64_t rows = a.count(2, "rows"), cols = a.count(3, "cols");
  const int act = static_cast<int>(a.integer(4, "act", 0, 3));
  CHECKED(a);
  return done(a.env(), atl_bias_act(S(), F(c), F(bias), rows, cols, act));
}

V FillF32(Info info) {
  Args a(info, "fillF32");
  void* out = a.ptr(0, "out");
  const double value = a.number(1, "value");
  const int64_t n = a.count(2, "n");
  CHECKED(a);
  return done(a.env(), atl_fill_f32(S(), F(out), static_cast<float>(value), n));
}

V FillI32(Info info) {
  Args a(info, "fillI32");
  void* out = a.ptr(0, "out");
  const int64_t value = a.integer(1, "value", kI32Min, kI32Max);
  const int64_t n = a.count(2, "n");
  CHECKED(a);
  return done(a.env(), atl_fill_i32(S(), I(out), static_cast<int32_t>(value), n));
}

/** (x, out, n) kernels that differ only in the element types. */
template <typename In, typename Out, int (*Launch)(cudaStream_t, const In*, Out*, int64_t)>
V Convert(Info info, const char* fn) {
  Args a(info, fn);
  void* x = a.ptr(0, "x");
  void* out = a.ptr(1, "out");
  const int64_t n = a.count(2, "n");
  CHECKED(a);
  return done(a.env(), Launch(S(), static_cast<const In*>(x), static_cast<Out*>(out), n));
}
V CastF32I32(Info info) { return Convert<float, int32_t, atl_cast_f32_i32>(info, "castF32I32"); }
V CastI32F32(Info info) { return Convert<int32_t, float, atl_cast_i32_f32>(info, "castI32F32"); }
V F32ToBf16(Info info) { return Convert<float, uint16_t, atl_f32_to_bf16>(info, "f32ToBf16"); }
V Bf16ToF32(Info info) { return Convert<uint16_t, float, atl_bf16_to_f32>(info, "bf16ToF32"); }

/** (x, rows, cols, out) reductions. */
template <typename Out, int (*Launch)(cudaStream_t, const float*, int64_t, int64_t, Out*)>
V RowsCols(Info info, const char* fn) {
  Args a(info, fn);
  void* x = a.ptr(0, "x");
  const int64_t rows = a.count(1, "rows"), cols = a.count(2, "cols");
  void* out = a.ptr(3, "out");
  CHECKED(a);
  return done(a.env(), Launch(S(), F(x), rows, cols, static_cast<Out*>(out)));
}
V SumLast(Info info) { return RowsCols<float, atl_sum_last>(info, "sumLast"); }
V SumRows(Info info) { return RowsCols<float, atl_sum_rows>(info, "sumRows"); }
V ArgmaxLast(Info info) { return RowsCols<int32_t, atl_argmax_last>(info, "argmaxLast"); }

V ReduceMid(Info info) {
  Args a(info, "reduceMid");
  const int op = static_cast<int>(a.integer(0, "op", 0, 1));
  void* x = a.ptr(1, "x");
  const int64_t outer = a.count(2, "outer"), len = a.count(3, "len"), inner = a.count(4, "inner");
  void* out = a.ptr(5, "out");
  CHECKED(a);
  return done(a.env(), atl_reduce_mid(S(), op, F(x), outer, len, inner, F(out)));
}

V ReluGradBiasSum(Info info) {
  Args a(info, "reluGradBiasSum");
  void* dy = a.ptr(0, "dy");
  void* y = a.ptr(1, "y");
  const int64_t rows = a.count(2, "rows"), cols = a.count(3, "cols");
  void* g = a.ptr(4, "g");
  void* db = a.ptr(5, "db");
  CHECKED(a);
  return done(a.env(), atl_relu_grad_bias_sum(S(), F(dy), F(y), rows, cols, F(g), F(db)));
}

V SumSquares(Info info) {
  Args a(info, "sumSquares");
  void* x = a.ptr(0, "x");
  const int64_t n = a.count(1, "n");
  void* out = a.ptr(2, "out");
  CHECKED(a);
  return done(a.env(), atl_sum_squares(S(), F(x), n, F(out)));
}

V Softmax(Info info) {
  Args a(info, "softmax");
  void* x = a.ptr(0, "x");
  const int64_t rows = a.count(1, "rows"), m = a.count(2, "m");
  void* out = a.ptr(3, "out");
  const bool log = a.flag(4, "log");
  CHECKED(a);
  return done(a.env(), atl_softmax(S(), F(x), rows, m, F(out), log ? 1 : 0));
}

V SparseSoftmaxCrossEntropy(Info info) {
  Args a(info, "sparseSoftmaxCrossEntropy");
  void* logits = a.ptr(0, "logits");
  void* labels = a.ptr(1, "labels");
  const int64_t n = a.count(2, "n"), c = a.count(3, "c");
  void* loss = a.ptr(4, "loss");
  void* probs = a.ptr(5, "probs");
  CHECKED(a);
  return done(a.env(), atl_sparse_softmax_ce(S(), F(logits), I(labels), n, c, F(loss), F(probs)));
}

V BceWithLogits(Info info) {
  Args a(info, "bceWithLogits");
  void* x = a.ptr(0, "x");
  void* z = a.ptr(1, "z");
  void* out = a.ptr(2, "out");
  const int64_t n = a.count(3, "n");
  CHECKED(a);
  return done(a.env(), atl_bce_with_logits(S(), F(x), F(z), F(out), n));
}

V OneHot(Info info) {
  Args a(info, "oneHot");
  void* ids = a.ptr(0, "ids");
  const int64_t n = a.count(1, "n"), depth = a.count(2, "depth");
  const double on = a.number(3, "onValue"), off = a.number(4, "offValue");
  void* out = a.ptr(5, "out");
  CHECKED(a);
  return done(a.env(), atl_one_hot(S(), I(ids), n, depth, static_cast<float>(on), static_cast<float>(off), F(out)));
}

V LayerNormForward(Info info) {
  Args a(info, "layerNormForward");
  void* x = a.ptr(0, "x");
  void* gamma = a.ptr(1, "gamma", true);
  void* beta = a.ptr(2, "beta", true);
  const int64_t rows = a.count(3, "rows"), d = a.count(4, "d");
  const double eps = a.number(5, "eps");
  void* y = a.ptr(6, "y");
  void* mean = a.ptr(7, "mean");
  void* rstd = a.ptr(8, "rstd");
  CHECKED(a);
  return done(a.env(), atl_layernorm_forward(S(), F(x), F(gamma), F(beta), rows, d, static_cast<float>(eps), F(y), F(mean), F(rstd)));
}

V LayerNormBackward(Info info) {
  Args a(info, "layerNormBackward");
  void* dy = a.ptr(0, "dy");
  void* x = a.ptr(1, "x");
  void* gamma = a.ptr(2, "gamma", true);
  void* mean = a.ptr(3, "mean");
  void* rstd = a.ptr(4, "rstd");
  const int64_t rows = a.count(5, "rows"), d = a.count(6, "d");
  void* dx = a.ptr(7, "dx");
  void* dgamma = a.ptr(8, "dgamma", true);
  void* dbeta = a.ptr(9, "dbeta", true);
  CHECKED(a);
  return done(a.env(), atl_layernorm_backward(S(), F(dy), F(x), F(gamma), F(mean), F(rstd), rows, d, F(dx), F(dgamma), F(dbeta)));
}

V Dropout(Info info) {
  Args a(info, "dropout");
  void* x = a.ptr(0, "x", true);
  void* out = a.ptr(1, "out", true);
  void* mask = a.ptr(2, "mask");
  const int64_t n = a.count(3, "n");
  const double keep = a.number(4, "keep");
  const int64_t seed = a.count(5, "seed"), offset = a.count(6, "offset");
  if (a.ok() && !(keep > 0 && keep <= 1)) a.fail("keep", "must be in (0, 1]");
  if (a.ok() && (x == nullptr) != (out == nullptr)) a.fail("out", "must be given exactly when x is");
  CHECKED(a);
  return done(a.env(), atl_dropout(S(), F(x), F(out), F(mask), n, static_cast<float>(keep), static_cast<uint64_t>(seed), static_cast<uint64_t>(offset)));
}

V Gather(Info info) {
  Args a(info, "gather");
  void* table = a.ptr(0, "table");
  const int64_t v = a.count(1, "v"), d = a.count(2, "d");
  void* ids = a.ptr(3, "ids");
  const int64_t n = a.count(4, "n");
  void* out = a.ptr(5, "out");
  CHECKED(a);
  return done(a.env(), atl_gather(S(), F(table), v, d, I(ids), n, F(out)));
}

V ScatterAdd(Info info) {
  Args a(info, "scatterAdd");
  void* values = a.ptr(0, "values");
  const int64_t d = a.count(1, "d");
  void* rows = a.ptr(2, "rows");
  const int64_t k = a.count(3, "k"), numRows = a.count(4, "numRows");
  void* out = a.ptr(5, "out");
  CHECKED(a);
  return done(a.env(), atl_scatter_add(S(), F(values), d, I(rows), k, numRows, F(out)));
}

V CoalesceScratchBytes(Info info) {
  Args a(info, "coalesceScratchBytes");
  const int64_t k = a.count(0, "k"), d = a.count(1, "d");
  if (!a.ok()) return a.env().Undefined();
  return num(a.env(), static_cast<double>(atl_coalesce_scratch_bytes(k, d)));
}

V CoalesceRows(Info info) {
  Args a(info, "coalesceRows");
  void* rows = a.ptr(0, "rows");
  void* values = a.ptr(1, "values");
  const int64_t k = a.count(2, "k"), d = a.count(3, "d");
  void* uniq = a.ptr(4, "uniq");
  void* out = a.ptr(5, "out");
  void* count = a.ptr(6, "count");
  void* scratch = a.ptr(7, "scratch", true);
  CHECKED(a);
  return done(a.env(), atl_coalesce_rows(S(), I(rows), F(values), k, d, I(uniq), F(out), I(count), scratch));
}

V CopyRows(Info info) {
  Args a(info, "copyRows");
  void* src = a.ptr(0, "src");
  const int64_t srcOff = a.count(1, "srcOff"), srcStride = a.count(2, "srcStride");
  void* dst = a.ptr(3, "dst");
  const int64_t dstOff = a.count(4, "dstOff"), dstStride = a.count(5, "dstStride");
  const int64_t rows = a.count(6, "rows"), width = a.count(7, "width");
  CHECKED(a);
  return done(a.env(), atl_copy_rows(S(), src, srcOff, srcStride, dst, dstOff, dstStride, rows, width));
}

V Transpose(Info info) {
  Args a(info, "transpose");
  void* x = a.ptr(0, "x");
  void* out = a.ptr(1, "out");
  const auto shape = a.ints(2, "inShape", -1, 6, 0, int64_t{1} << 52);
  const auto perm64 = a.ints(3, "perm", static_cast<int64_t>(shape.size()), 6, 0, 5);
  if (a.ok()) {
    std::set<int64_t> seen(perm64.begin(), perm64.end());
    if (seen.size() != perm64.size() || *seen.rbegin() >= static_cast<int64_t>(perm64.size())) a.fail("perm", "must be a permutation of 0..rank-1");
  }
  CHECKED(a);
  std::vector<int32_t> perm(perm64.begin(), perm64.end());
  return done(a.env(), atl_transpose(S(), x, out, static_cast<int>(shape.size()), shape.data(), perm.data()));
}

V BroadcastTo(Info info) {
  Args a(info, "broadcastTo");
  void* x = a.ptr(0, "x");
  void* out = a.ptr(1, "out");
  const auto shape = a.ints(2, "shape", -1, 6, 0, int64_t{1} << 52);
  const auto strides = a.ints(3, "xStrides", static_cast<int64_t>(shape.size()), 6, 0, int64_t{1} << 52);
  CHECKED(a);
  return done(a.env(), atl_broadcast_to(S(), x, out, static_cast<int>(shape.size()), shape.data(), strides.data()));
}

const AtlOptScalars* Sc(void* p) { return static_cast<const AtlOptScalars*>(p); }

V Adam(Info info) {
  Args a(info, "adam");
  void* param = a.ptr(0, "param");
  void* grad = a.ptr(1, "grad");
  void* m = a.ptr(2, "m");
  void* v = a.ptr(3, "v");
  void* rows = a.ptr(4, "rows", true);
  const int64_t k = a.count(5, "k"), rowWidth = a.count(6, "rowWidth"), n = a.count(7, "n");
  void* scalars = a.ptr(8, "scalars");
  const bool decoupled = a.flag(9, "decoupled");
  CHECKED(a);
  return done(a.env(), atl_adam(S(), F(param), F(grad), F(m), F(v), I(rows), k, rowWidth, n, Sc(scalars), decoupled ? 1 : 0));
}

V Sgd(Info info) {
  Args a(info, "sgd");
  void* param = a.ptr(0, "param");
  void* grad = a.ptr(1, "grad");
  void* velocity = a.ptr(2, "velocity");
  void* rows = a.ptr(3, "rows", true);
  const int64_t k = a.count(4, "k"), rowWidth = a.count(5, "rowWidth"), n = a.count(6, "n");
  void* scalars = a.ptr(7, "scalars");
  const bool nesterov = a.flag(8, "nesterov");
  CHECKED(a);
  return done(a.env(), atl_sgd(S(), F(param), F(grad), F(velocity), I(rows), k, rowWidth, n, Sc(scalars), nesterov ? 1 : 0));
}

V Adagrad(Info info) {
  Args a(info, "adagrad");
  void* param = a.ptr(0, "param");
  void* grad = a.ptr(1, "grad");
  void* acc = a.ptr(2, "acc");
  void* rows = a.ptr(3, "rows", true);
  const int64_t k = a.count(4, "k"), rowWidth = a.count(5, "rowWidth"), n = a.count(6, "n");
  void* scalars = a.ptr(7, "scalars");
  CHECKED(a);
  return done(a.env(), atl_adagrad(S(), F(param), F(grad), F(acc), I(rows), k, rowWidth, n, Sc(scalars)));
}

// ------------------------------------------------------------------ CUDA Graphs
V CaptureBegin(Info info) {
  Napi::Env env = info.Env();
  if (!ready(env)) return env.Undefined();
  return done(env, captureBegin());
}

V CaptureEnd(Info info) {
  Napi::Env env = info.Env();
  if (!ready(env)) return env.Undefined();
  cudaGraphExec_t exec = nullptr;
  if (int rc = captureEnd(&exec)) return done(env, rc);
  g_graphs.insert(exec);
  return num(env, static_cast<double>(reinterpret_cast<uintptr_t>(exec)));
}

V Capturing(Info info) {
  Napi::Env env = info.Env();
  bool active = false;
  if (int rc = captureActive(&active)) return done(env, rc);
  return Napi::Boolean::New(env, active);
}

cudaGraphExec_t graphArg(Args& a) {
  auto g = static_cast<cudaGraphExec_t>(a.ptr(0, "graph"));
  if (a.ok() && !g_graphs.count(g)) a.fail("graph", "is not a live graph from captureEnd");
  return g;
}

V GraphLaunch(Info info) {
  Args a(info, "graphLaunch");
  cudaGraphExec_t g = graphArg(a);
  CHECKED(a);
  return done(a.env(), graphLaunch(g));
}

V GraphDestroy(Info info) {
  Args a(info, "graphDestroy");
  cudaGraphExec_t g = graphArg(a);
  CHECKED(a);
  g_graphs.erase(g);
  return done(a.env(), graphDestroy(g));
}

// ------------------------------------------------------------------ telemetry
V Utilization(Info info) {
  Napi::Env env = info.Env();
  unsigned gpu = 0, memory = 0;
  if (!nvmlUtilization(runtimeReady() ? runtimeDevice() : 0, &gpu, &memory)) return env.Null();
  auto o = Napi::Object::New(env);
  o.Set("gpu", gpu);
  o.Set("memory", memory);
  return o;
}

Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  const std::pair<const char*, Napi::Function::Callback> fns[] = {
      {"probe", Probe}, {"init", Init}, {"loadCublasLt", LoadCublasLt}, {"malloc", Malloc}, {"free", Free}, {"memGetInfo", MemGetInfo},
      {"allocPinned", AllocPinned}, {"freePinned", FreePinned}, {"copyFromPinned", CopyFromPinned}, {"copyToPinned", CopyToPinned},
      {"upload", Upload}, {"download", Download}, {"copyDeviceToDevice", CopyDeviceToDevice}, {"memsetZero", MemsetZero},
      {"synchronize", Synchronize}, {"takeDeviceErrors", TakeDeviceErrors}, {"eventCreate", EventCreate}, {"eventRecord", EventRecord},
      {"eventQuery", EventQuery}, {"eventSynchronize", EventSynchronize}, {"eventDestroy", EventDestroy}, {"gemm", Gemm},
      {"gemmBf16", GemmBf16}, {"unary", Unary}, {"binary", Binary}, {"binaryI32", BinaryI32}, {"binaryStrided", BinaryStrided}, {"reluGrad", ReluGrad},
      {"biasAct", BiasAct}, {"fillF32", FillF32}, {"fillI32", FillI32}, {"castF32I32", CastF32I32}, {"castI32F32", CastI32F32},
      {"f32ToBf16", F32ToBf16}, {"bf16ToF32", Bf16ToF32}, {"sumLast", SumLast}, {"sumRows", SumRows}, {"reduceMid", ReduceMid},
      {"argmaxLast", ArgmaxLast}, {"reluGradBiasSum", ReluGradBiasSum}, {"sumSquares", SumSquares}, {"softmax", Softmax},
      {"sparseSoftmaxCrossEntropy", SparseSoftmaxCrossEntropy}, {"bceWithLogits", BceWithLogits}, {"oneHot", OneHot},
      {"layerNormForward", LayerNormForward}, {"layerNormBackward", LayerNormBackward}, {"dropout", Dropout}, {"gather", Gather},
      {"scatterAdd", ScatterAdd}, {"coalesceScratchBytes", CoalesceScratchBytes}, {"coalesceRows", CoalesceRows}, {"copyRows", CopyRows},
      {"transpose", Transpose}, {"broadcastTo", BroadcastTo}, {"adam", Adam}, {"sgd", Sgd}, {"adagrad", Adagrad},
      {"captureBegin", CaptureBegin}, {"captureEnd", CaptureEnd}, {"capturing", Capturing}, {"graphLaunch", GraphLaunch},
      {"graphDestroy", GraphDestroy}, {"utilization", Utilization},
  };
  for (const auto& [name, fn] : fns) exports.Set(name, Napi::Function::New(env, fn, name));
  // When this thread's environment ends (a job's worker thread exits), give its graphs, events,
  // pinned buffers, device memory and stream back: the next job starts from an empty GPU.
  env.AddCleanupHook([]() {
    for (cudaGraphExec_t g : g_graphs) graphDestroy(g);
    g_graphs.clear();
    for (cudaEvent_t e : g_events) eventDestroy(e);
    g_events.clear();
    g_pinned.clear();  // the references die with the environment; runtimeTeardown frees the memory
    runtimeTeardown();
  });
  return exports;
}

}  // namespace
}  // namespace atelier

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return atelier::InitModule(env, exports); }

NODE_API_MODULE(atelier_engine_gpu, InitModule)
