// Launcher-level self-test of engine-gpu's kernels against host references (C++ twins of the engine's
// reference formulas), for the first machine with a GPU. Not part of the addon. From the repo root:
//   nvcc -std=c++17 -O2 --expt-relaxed-constexpr -gencode arch=compute_90,code=sm_90 \
//     -I packages/engine-gpu/native packages/engine-gpu/native/selftest/kernels-selftest.cu packages/engine-gpu/native/kernels/*.cu \
//     packages/engine-gpu/native/errors.cc -o /tmp/kselftest && /tmp/kselftest
// (without errors.cc, add -DSELFTEST_OWN_ERRORS). Prints one line per check and "FAILED n" / "ALL OK".
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <numeric>
#include <tuple>
#include <vector>

#include "kernels.h"
#include "kernels/philox.h"

#ifdef SELFTEST_OWN_ERRORS
static char g_msg[512];
static int32_t* g_word;
extern "C" const char* atl_last_error() { return g_msg; }
extern "C" int atl_fail(const char* f, int l, const char* w) { snprintf(g_msg, sizeof g_msg, "%s:%d: %s", f, l, w); return ATL_BAD_ARGS; }
extern "C" int atl_fail_cuda(const char* f, int l, cudaError_t e, const char* w) {
  cudaGetLastError();
  snprintf(g_msg, sizeof g_msg, "%s:%d: %s (%s)", f, l, cudaGetErrorString(e), w);
  return ATL_CUDA_ERROR;
}
extern "C" int atl_device_errors_init() { return g_word ? 0 : (cudaMalloc(&g_word, 16) == cudaSuccess && cudaMemset(g_word, 0, 16) == cudaSuccess ? 0 : 1); }
extern "C" int atl_device_errors_take(cudaStream_t s, int32_t* out) {
  cudaMemcpyAsync(out, g_word, 16, cudaMemcpyDeviceToHost, s);
  cudaStreamSynchronize(s);
  cudaMemsetAsync(g_word, 0, 16, s);
  return 0;
}
extern "C" int32_t* atl_device_error_word() { return g_word; }
#endif

using std::vector;
static int g_failed = 0, g_checks = 0;
static cudaStream_t S = nullptr;

#define CK(call)                                                                                \
  do {                                                                                          \
    int rc_ = (call);                                                                           \
    if (rc_ != 0) {                                                                             \
      printf("FAIL launcher %s -> %d: %s\n", #call, rc_, atl_last_error());                     \
      g_failed++;                                                                               \
    }                                                                                           \
  } while (0)

static uint64_t g_rng = 88172645463325252ull;
static float rnd(float lo = -3.f, float hi = 3.f) {
  g_rng ^= g_rng << 13, g_rng ^= g_rng >> 7, g_rng ^= g_rng << 17;
  return lo + (hi - lo) * static_cast<float>((g_rng >> 40) * (1.0 / 16777216.0));
}
static vector<float> rvec(size_t n, float lo = -3.f, float hi = 3.f) {
  vector<float> v(n);
  for (auto& x : v) x = rnd(lo, hi);
  return v;
}

// Device buffers with one spare float in front, so `+1` gives a misaligned pointer for the scalar paths.
template <typename T>
struct Dev {
  T* base = nullptr;
  size_t n = 0;
  explicit Dev(size_t count) : n(count) {
    cudaMalloc(&base, (count + 4) * sizeof(T));
    cudaMemset(base, 0, (count + 4) * sizeof(T));
  }
  Dev(const vector<T>& h, int shift = 0) : Dev(h.size() + shift) { cudaMemcpy(base + shift, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice); }
  ~Dev() { cudaFree(base); }
  T* p(int shift = 0) { return base + shift; }
  vector<T> get(size_t count, int shift = 0) {
    cudaStreamSynchronize(S);
    vector<T> h(count);
    cudaMemcpy(h.data(), base + shift, count * sizeof(T), cudaMemcpyDeviceToHost);
    return h;
  }
};

static bool close(double got, double want, double rtol, double atol) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return got == want;
  return std::fabs(got - want) <= atol + rtol * std::fabs(want);
}

template <typename A, typename B>
static void expectClose(const char* what, const vector<A>& got, const vector<B>& want, double rtol = 2e-6, double atol = 1e-6) {
  g_checks++;
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < want.size(); ++i)
    if (!close(got[i], want[i], rtol, atol)) {
      if (bad++ == 0) first = i;
    }
  if (got.size() != want.size() || bad) {
    g_failed++;
    printf("FAIL %s: %zu of %zu differ; first [%zu] got %.9g want %.9g\n", what, bad, want.size(), first, (double)got[first], (double)want[first]);
  } else {
    printf("ok   %s (%zu)\n", what, want.size());
  }
}

static void expectTrue(const char* what, bool ok) {
  g_checks++;
  if (!ok) g_failed++;
  printf("%s %s\n", ok ? "ok  " : "FAIL", what);
}

static vector<int32_t> takeError() {
  vector<int32_t> w(4);
  atl_device_errors_take(S, w.data());
  return w;
}

// ------------------------------------------------------------------ host references
static float hUnary(int op, float v) {
  switch (op) {
    case 0: return v <= 0 ? 0 : v;
    case 1: return v >= 0 ? 1 / (1 + std::exp(-(double)v)) : std::exp((double)v) / (1 + std::exp((double)v));
    case 2: return std::tanh((double)v);
    case 3: return -v;
    case 4: return v * v;
    case 5: return std::exp((double)v);
    case 6: return std::log((double)v);
    case 7: return std::sqrt((double)v);
    case 8: return std::fabs(v);
    case 9: return 1.0 / v;
    case 10: return v > 0 ? 1 : v < 0 ? -1 : 0;
    case 11: return v > 0 ? v + std::log1p(std::exp(-(double)v)) : std::log1p(std::exp((double)v));
    case 12: return 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * (double)v * v * v)));
    case 13: return v > 0 ? 1 : 0;
    default: return std::isfinite(v) ? 1 : 0;
  }
}
static float hBinary(int op, float a, float b) {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return a >= b ? a : b;
    case 5: return a <= b ? a : b;
    case 6: return std::pow((double)a, (double)b);
    case 7: return a == b ? 1 : 0;
    case 8: return a > b ? 1 : 0;
    default: return a >= b ? 1 : 0;
  }
}

static void testElementwise() {
  for (int shift : {0, 1}) {
    const int64_t n = 1003;
    vector<float> x = rvec(n, -6, 6);
    x[3] = NAN, x[4] = INFINITY, x[5] = -0.f, x[6] = 0.f;
    Dev<float> dx(x, shift), dout(n + 1);
    for (int op = 0; op <= 14; ++op) {
      vector<float> xin = x;
      if (op == 6 || op == 7) for (auto& v : xin) v = std::fabs(v) + 0.01f;  // log, sqrt on positives
      if (op == 6 || op == 7) cudaMemcpy(dx.p(shift), xin.data(), n * 4, cudaMemcpyHostToDevice);
      CK(atl_unary(S, op, dx.p(shift), dout.p(shift), n));
      vector<float> want(n);
      for (int64_t i = 0; i < n; ++i) want[i] = hUnary(op, xin[i]);
      char name[64];
      snprintf(name, sizeof name, "unary op %d shift %d", op, shift);
      expectClose(name, dout.get(n, shift), want, 4e-6, 1e-6);
      if (op == 6 || op == 7) cudaMemcpy(dx.p(shift), x.data(), n * 4, cudaMemcpyHostToDevice);
    }
  }
  // binary: modes 0..4 with inner 12 (vector paths) and 7 (scalar paths), aligned and shifted.
  for (int64_t inner : {12, 7})
    for (int shift : {0, 1}) {
      const int64_t rows = 37, n = rows * inner;
      vector<float> x = rvec(n, 0.1f, 3), y = rvec(n, 0.1f, 3);
      x[2] = y[2];  // a tie for the comparisons
      Dev<float> dxv(x, shift), dyv(y, shift), dout(n + 1);
      for (int op = 0; op <= 9; ++op)
        for (int mode = 0; mode <= 4; ++mode) {
          const float* xp = dxv.p(shift);
          const float* yp = dyv.p(shift);
          CK(atl_binary(S, op, mode, xp, yp, dout.p(shift), n, inner));
          vector<float> want(n);
          for (int64_t i = 0; i < n; ++i) {
            float a = mode == 2 ? x[0] : x[i];
            float b = mode == 1 ? y[0] : mode == 3 ? y[i % inner] : mode == 4 ? y[i / inner] : y[i];
            want[i] = hBinary(op, a, b);
          }
          char name[80];
          snprintf(name, sizeof name, "binary op %d mode %d inner %ld shift %d", op, mode, (long)inner, shift);
          expectClose(name, dout.get(n, shift), want, 4e-6, 1e-6);
        }
    }
  {  // strided broadcast: out [4, 3, 5]; x [4, 1, 5]; y [3, 1]
    int64_t shape[3] = {4, 3, 5}, xs[3] = {5, 0, 1}, ys[3] = {0, 1, 0};
    vector<float> x = rvec(20), y = rvec(3);
    Dev<float> dxv(x), dyv(y), dout(60);
    CK(atl_binary_strided(S, 2, dxv.p(), dyv.p(), dout.p(), 3, shape, xs, ys));
    vector<float> want(60);
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 3; ++b)
        for (int c = 0; c < 5; ++c) want[(a * 3 + b) * 5 + c] = x[a * 5 + c] * y[b];
    expectClose("binary_strided mul [4,3,5]", dout.get(60), want);
  }
  {
    const int64_t n = 1001;
    vector<float> dy = rvec(n), y = rvec(n);
    y[0] = NAN;
    Dev<float> a(dy), b(y), o(n);
    CK(atl_relu_grad(S, a.p(), b.p(), o.p(), n));
    vector<float> want(n);
    for (int64_t i = 0; i < n; ++i) want[i] = y[i] > 0 ? dy[i] : 0;
    expectClose("relu_grad", o.get(n), want, 0, 0);
  }
  for (int act = 0; act <= 3; ++act) {
    const int64_t rows = 9, cols = 13;
    vector<float> c = rvec(rows * cols), bias = rvec(cols);
    Dev<float> dc(c), db(bias);
    CK(atl_bias_act(S, dc.p(), db.p(), rows, cols, act));
    vector<float> want(rows * cols);
    for (int64_t i = 0; i < rows * cols; ++i) {
      float v = c[i] + bias[i % cols];
      want[i] = act == 1 ? hUnary(0, v) : act == 2 ? hUnary(1, v) : act == 3 ? hUnary(2, v) : v;
    }
    char name[32];
    snprintf(name, sizeof name, "bias_act act %d", act);
    expectClose(name, dc.get(rows * cols), want, 4e-6, 1e-6);
  }
  {
    Dev<float> f(777);
    CK(atl_fill_f32(S, f.p(), 2.5f, 777));
    expectClose("fill_f32", f.get(777), vector<float>(777, 2.5f), 0, 0);
    Dev<int32_t> fi(777);
    CK(atl_fill_i32(S, fi.p(), -7, 777));
    expectClose("fill_i32", fi.get(777), vector<int32_t>(777, -7), 0, 0);
    vector<float> x = {-2.7f, 2.7f, NAN, INFINITY, 3e9f, -3e9f, 1e20f, -0.5f};
    vector<int32_t> want = {-2, 2, 0, 0, static_cast<int32_t>(3000000000u), static_cast<int32_t>(-3000000000ll + 4294967296ll), 0, 0};
    // 1e20f = 100000002004087734272 = 2^66.4…: a multiple of 2^32, so ToInt32 gives 0.
    Dev<float> dxv(x);
    Dev<int32_t> di(x.size());
    CK(atl_cast_f32_i32(S, dxv.p(), di.p(), x.size()));
    expectClose("cast_f32_i32 (ToInt32)", di.get(x.size()), want, 0, 0);
    vector<int32_t> iv = {-5, 0, 16777217, 123};
    Dev<int32_t> dii(iv);
    Dev<float> dfo(iv.size());
    CK(atl_cast_i32_f32(S, dii.p(), dfo.p(), iv.size()));
    expectClose("cast_i32_f32", dfo.get(iv.size()), vector<float>{-5.f, 0.f, 16777216.f, 123.f}, 0, 0);
    vector<float> bx = {1.f, 1.00390625f, 1.005859375f, -3.14159f, 65504.f, 1e-40f};
    Dev<float> dbx(bx);
    Dev<uint16_t> dbf(bx.size());
    Dev<float> dback(bx.size());
    CK(atl_f32_to_bf16(S, dbx.p(), dbf.p(), bx.size()));
    CK(atl_bf16_to_f32(S, dbf.p(), dback.p(), bx.size()));
    // 1.00390625 is halfway between 1 and 1.0078125: ties to even → 1. 1.005859375 rounds up.
    expectClose("bf16 round trip", dback.get(bx.size()), vector<float>{1.f, 1.f, 1.0078125f, -3.140625f, 65536.f, std::ldexp(1.f, -133)}, 1e-6, 0);
  }
}

static void testReduce() {
  for (auto [rows, cols] : vector<std::pair<int64_t, int64_t>>{{7, 5}, {300, 300}, {3, 5000}, {4096, 1}, {5, 70}}) {
    vector<float> x = rvec(rows * cols);
    Dev<float> dxv(x), o1(rows), o2(cols);
    CK(atl_sum_last(S, dxv.p(), rows, cols, o1.p()));
    CK(atl_sum_rows(S, dxv.p(), rows, cols, o2.p()));
    vector<double> w1(rows, 0), w2(cols, 0);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) w1[r] += x[r * cols + c], w2[c] += x[r * cols + c];
    char name[64];
    snprintf(name, sizeof name, "sum_last [%ld,%ld]", (long)rows, (long)cols);
    expectClose(name, o1.get(rows), w1, 1e-5, 1e-4);
    snprintf(name, sizeof name, "sum_rows [%ld,%ld]", (long)rows, (long)cols);
    expectClose(name, o2.get(cols), w2, 1e-5, 1e-4);
    // relu_grad_bias_sum on the same shape
    vector<float> y = rvec(rows * cols);
    Dev<float> dyv(y), g(rows * cols), db(cols);
    CK(atl_relu_grad_bias_sum(S, dxv.p(), dyv.p(), rows, cols, g.p(), db.p()));
    vector<float> wg(rows * cols);
    vector<double> wdb(cols, 0);
    for (int64_t i = 0; i < rows * cols; ++i) wg[i] = y[i] > 0 ? x[i] : 0, wdb[i % cols] += wg[i];
    snprintf(name, sizeof name, "relu_grad_bias_sum g [%ld,%ld]", (long)rows, (long)cols);
    expectClose(name, g.get(rows * cols), wg, 0, 0);
    snprintf(name, sizeof name, "relu_grad_bias_sum db [%ld,%ld]", (long)rows, (long)cols);
    expectClose(name, db.get(cols), wdb, 1e-5, 1e-4);
  }
  for (auto [outer, len, inner] : vector<std::tuple<int64_t, int64_t, int64_t>>{{3, 1000, 1}, {3, 1000, 5}, {2, 300, 64}, {50, 10, 40}, {4, 2000, 1}, {32, 70, 4096}}) {
    vector<float> x = rvec(outer * len * inner);
    x[len * inner + 1] = NAN;  // the max of output (1, 1) is NaN (inner ≥ 2) or of row 1 (inner = 1)
    Dev<float> dxv(x), os(outer * inner), om(outer * inner);
    CK(atl_reduce_mid(S, 0, dxv.p(), outer, len, inner, os.p()));
    CK(atl_reduce_mid(S, 1, dxv.p(), outer, len, inner, om.p()));
    vector<double> ws(outer * inner, 0);
    vector<float> wm(outer * inner, -INFINITY);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t l = 0; l < len; ++l)
        for (int64_t j = 0; j < inner; ++j) {
          const float v = x[(o * len + l) * inner + j];
          ws[o * inner + j] += v;
          float& m = wm[o * inner + j];
          if (v > m || std::isnan(v)) m = v;
        }
    char name[80];
    snprintf(name, sizeof name, "reduce_mid sum [%ld,%ld,%ld]", (long)outer, (long)len, (long)inner);
    expectClose(name, os.get(outer * inner), ws, 1e-5, 1e-4);
    snprintf(name, sizeof name, "reduce_mid max [%ld,%ld,%ld]", (long)outer, (long)len, (long)inner);
    expectClose(name, om.get(outer * inner), wm, 0, 0);
  }
  for (int64_t cols : {6, 2000}) {
    const int64_t rows = 5;
    vector<float> x = rvec(rows * cols);
    x[0 * cols + 0] = NAN;                              // row 0: NaN first → 0
    x[1 * cols + 2] = 9, x[1 * cols + 4] = 9;           // row 1: tie → first (2)
    x[2 * cols + 1] = NAN, x[2 * cols + 3] = 8;         // row 2: NaN skipped → 3
    Dev<float> dxv(x);
    Dev<int32_t> o(rows);
    CK(atl_argmax_last(S, dxv.p(), rows, cols, o.p()));
    vector<int32_t> want(rows);
    for (int64_t r = 0; r < rows; ++r) {
      int64_t best = 0;
      for (int64_t j = 1; j < cols; ++j)
        if (x[r * cols + j] > x[r * cols + best]) best = j;
      want[r] = static_cast<int32_t>(best);
    }
    expectClose(cols == 6 ? "argmax_last cols 6" : "argmax_last cols 2000", o.get(rows), want, 0, 0);
  }
  for (int shift : {0, 1}) {
    const int64_t n = 100003;
    vector<float> x = rvec(n);
    Dev<float> dxv(x, shift), o(1);
    CK(atl_sum_squares(S, dxv.p(shift), n, o.p()));
    double w = 0;
    for (float v : x) w += (double)v * v;
    expectClose(shift ? "sum_squares (misaligned)" : "sum_squares", o.get(1), vector<double>{w}, 1e-5, 0);
  }
}

static void testSoftmax() {
  for (int64_t m : {10, 3000}) {
    const int64_t rows = 33;
    vector<float> x = rvec(rows * m, -10, 10);
    for (int log = 0; log <= 1; ++log) {
      Dev<float> dxv(x), o(rows * m);
      CK(atl_softmax(S, dxv.p(), rows, m, o.p(), log));
      vector<double> want(rows * m);
      for (int64_t r = 0; r < rows; ++r) {
        double mx = -INFINITY, s = 0;
        for (int64_t j = 0; j < m; ++j) mx = std::max(mx, (double)x[r * m + j]);
        for (int64_t j = 0; j < m; ++j) s += std::exp(x[r * m + j] - mx);
        for (int64_t j = 0; j < m; ++j) want[r * m + j] = log ? x[r * m + j] - (mx + std::log(s)) : std::exp(x[r * m + j] - mx) / s;
      }
      char name[48];
      snprintf(name, sizeof name, "%s m %ld", log ? "log_softmax" : "softmax", (long)m);
      expectClose(name, o.get(rows * m), want, 2e-5, 1e-6);
    }
    vector<int32_t> labels(rows);
    for (int64_t r = 0; r < rows; ++r) labels[r] = static_cast<int32_t>((r * 7) % m);
    labels[5] = static_cast<int32_t>(m);  // out of range
    Dev<float> dxv(x), loss(rows), probs(rows * m);
    Dev<int32_t> dl(labels);
    takeError();
    CK(atl_sparse_softmax_ce(S, dxv.p(), dl.p(), rows, m, loss.p(), probs.p()));
    vector<double> wl(rows);
    for (int64_t r = 0; r < rows; ++r) {
      double mx = -INFINITY, s = 0;
      for (int64_t j = 0; j < m; ++j) mx = std::max(mx, (double)x[r * m + j]);
      for (int64_t j = 0; j < m; ++j) s += std::exp(x[r * m + j] - mx);
      wl[r] = r == 5 ? NAN : mx + std::log(s) - x[r * m + labels[r]];
    }
    expectClose(m == 10 ? "sparse_softmax_ce loss m 10" : "sparse_softmax_ce loss m 3000", loss.get(rows), wl, 2e-5, 2e-5);
    vector<int32_t> err = takeError();
    expectTrue("sparse_softmax_ce records the bad label", err[0] == ATL_DEV_LABEL_RANGE && err[1] == 5 && err[2] == m && err[3] == m);
  }
  {
    const int64_t n = 999;
    vector<float> x = rvec(n, -20, 20), z = rvec(n, 0, 1);
    Dev<float> a(x), b(z), o(n);
    CK(atl_bce_with_logits(S, a.p(), b.p(), o.p(), n));
    vector<double> want(n);
    for (int64_t i = 0; i < n; ++i) want[i] = (x[i] > 0 ? x[i] : 0) - (double)x[i] * z[i] + std::log1p(std::exp(-std::fabs((double)x[i])));
    expectClose("bce_with_logits", o.get(n), want, 1e-5, 1e-6);
    vector<int32_t> ids = {0, 3, -1, 4, 2};
    Dev<int32_t> di(ids);
    Dev<float> oh(5 * 4);
    CK(atl_one_hot(S, di.p(), 5, 4, 1.f, 0.f, oh.p()));
    vector<float> w(20, 0.f);
    w[0] = 1, w[4 + 3] = 1, w[16 + 2] = 1;
    expectClose("one_hot (out-of-range ids give zero rows)", oh.get(20), w, 0, 0);
  }
}

static void testLayerNorm() {
  for (int64_t d : {48, 2000}) {
    const int64_t rows = 19;
    const float eps = 1e-5f;
    vector<float> x = rvec(rows * d), gamma = rvec(d), beta = rvec(d), dy = rvec(rows * d);
    Dev<float> dxv(x), dg(gamma), dbt(beta), y(rows * d), mean(rows), rstd(rows), ddy(dy), dx(rows * d), dgam(d), dbet(d);
    CK(atl_layernorm_forward(S, dxv.p(), dg.p(), dbt.p(), rows, d, eps, y.p(), mean.p(), rstd.p()));
    CK(atl_layernorm_backward(S, ddy.p(), dxv.p(), dg.p(), mean.p(), rstd.p(), rows, d, dx.p(), dgam.p(), dbet.p()));
    vector<double> wy(rows * d), wdx(rows * d), wdg(d, 0), wdb(d, 0);
    for (int64_t r = 0; r < rows; ++r) {
      double mu = 0, var = 0;
      for (int64_t j = 0; j < d; ++j) mu += x[r * d + j];
      mu /= d;
      for (int64_t j = 0; j < d; ++j) var += (x[r * d + j] - mu) * (x[r * d + j] - mu);
      var /= d;
      const double rs = 1 / std::sqrt(var + eps);
      double mg = 0, mgx = 0;
      for (int64_t j = 0; j < d; ++j) {
        const double xh = (x[r * d + j] - mu) * rs;
        wy[r * d + j] = xh * gamma[j] + beta[j];
        const double g = dy[r * d + j] * (double)gamma[j];
        mg += g, mgx += g * xh;
        wdg[j] += dy[r * d + j] * xh;
        wdb[j] += dy[r * d + j];
      }
      mg /= d, mgx /= d;
      for (int64_t j = 0; j < d; ++j) {
        const double xh = (x[r * d + j] - mu) * rs;
        wdx[r * d + j] = rs * (dy[r * d + j] * (double)gamma[j] - mg - xh * mgx);
      }
    }
    char name[48];
    snprintf(name, sizeof name, "layernorm y d %ld", (long)d);
    expectClose(name, y.get(rows * d), wy, 1e-4, 1e-5);
    snprintf(name, sizeof name, "layernorm dx d %ld", (long)d);
    expectClose(name, dx.get(rows * d), wdx, 1e-4, 1e-4);
    snprintf(name, sizeof name, "layernorm dgamma d %ld", (long)d);
    expectClose(name, dgam.get(d), wdg, 1e-4, 1e-4);
    snprintf(name, sizeof name, "layernorm dbeta d %ld", (long)d);
    expectClose(name, dbet.get(d), wdb, 1e-5, 1e-5);
  }
}

static void testDropout() {
  for (uint64_t offset : {0ull, 5ull, (1ull << 33) + 3}) {
    const int64_t n = 1001;
    const float keep = 0.8f;
    const uint64_t seed = 0x123456789abcdefull;
    vector<float> x = rvec(n);
    Dev<float> dxv(x), out(n), mask(n);
    CK(atl_dropout(S, dxv.p(), out.p(), mask.p(), n, keep, seed, offset));
    vector<float> wm(n), wo(n);
    for (int64_t i = 0; i < n; ++i) {
      const uint64_t p = offset + i;
      const atl::Philox4 r = atl::philoxBlock(seed, p / 4);
      wm[i] = atl::philoxUniform(r.v[p % 4]) < keep ? 1.f / keep : 0.f;
      wo[i] = x[i] * wm[i];
    }
    char name[48];
    snprintf(name, sizeof name, "dropout mask offset %llu", (unsigned long long)offset);
    expectClose(name, mask.get(n), wm, 0, 0);
    snprintf(name, sizeof name, "dropout out offset %llu", (unsigned long long)offset);
    expectClose(name, out.get(n), wo, 0, 0);
  }
}

static void testEmbedding() {
  for (int64_t d : {8, 5}) {
    const int64_t v = 10, n = 7;
    vector<float> table = rvec(v * d);
    vector<int32_t> ids = {3, 0, -1, 9, 3, 10, 1};  // -1 padding (zero row), 10 out of range (error, zero row)
    Dev<float> dt(table), out(n * d);
    Dev<int32_t> di(ids);
    takeError();
    CK(atl_gather(S, dt.p(), v, d, di.p(), n, out.p()));
    vector<float> want(n * d, 0.f);
    for (int64_t i = 0; i < n; ++i)
      if (ids[i] >= 0 && ids[i] < v)
        for (int64_t j = 0; j < d; ++j) want[i * d + j] = table[ids[i] * d + j];
    expectClose(d == 8 ? "gather d 8" : "gather d 5", out.get(n * d), want, 0, 0);
    vector<int32_t> err = takeError();
    expectTrue("gather records the id past the table", err[0] == ATL_DEV_ID_RANGE && err[1] == 5 && err[2] == 10 && err[3] == 10);
  }
  {
    const int64_t d = 3, k = 6, numRows = 4;
    vector<float> values = rvec(k * d);
    vector<int32_t> rows = {2, 0, 2, -1, 3, 2};
    Dev<float> dv(values), out(numRows * d);
    Dev<int32_t> dr(rows);
    CK(atl_scatter_add(S, dv.p(), d, dr.p(), k, numRows, out.p()));
    vector<double> want(numRows * d, 0);
    for (int64_t i = 0; i < k; ++i)
      if (rows[i] >= 0)
        for (int64_t j = 0; j < d; ++j) want[rows[i] * d + j] += values[i * d + j];
    expectClose("scatter_add", out.get(numRows * d), want, 1e-6, 1e-6);
  }
  for (int64_t k : {1, 9, 5000}) {
    const int64_t d = 4;
    vector<int32_t> rows(k);
    for (int64_t i = 0; i < k; ++i) rows[i] = static_cast<int32_t>((i * 37) % 11) - 1;  // -1 padding, repeats
    if (k == 1) rows[0] = 7;
    vector<float> values = rvec(k * d);
    size_t bytes = atl_coalesce_scratch_bytes(k, d);
    Dev<char> scratch(bytes + 1);
    Dev<float> dv(values), out(k * d);
    Dev<int32_t> dr(rows), uniq(k), count(1);
    CK(atl_coalesce_rows(S, dr.p(), dv.p(), k, d, uniq.p(), out.p(), count.p(), scratch.p()));
    std::map<int32_t, vector<float>> sums;  // sequential float adds in position order, like the reference
    for (int64_t i = 0; i < k; ++i)
      if (rows[i] >= 0) {
        auto& s = sums.try_emplace(rows[i], vector<float>(d, 0.f)).first->second;
        for (int64_t j = 0; j < d; ++j) s[j] += values[i * d + j];
      }
    vector<int32_t> wu(k, -1);
    vector<float> wo(k * d, 0.f);
    int64_t u = 0;
    for (auto& [r, s] : sums) {
      wu[u] = r;
      for (int64_t j = 0; j < d; ++j) wo[u * d + j] = s[j];
      ++u;
    }
    char name[48];
    snprintf(name, sizeof name, "coalesce_rows uniq k %ld", (long)k);
    expectClose(name, uniq.get(k), wu, 0, 0);
    snprintf(name, sizeof name, "coalesce_rows sums k %ld (bitwise)", (long)k);
    expectClose(name, out.get(k * d), wo, 0, 0);
    snprintf(name, sizeof name, "coalesce_rows count k %ld", (long)k);
    expectClose(name, count.get(1), vector<int32_t>{static_cast<int32_t>(u)}, 0, 0);
  }
}

static void testCopy() {
  {
    vector<float> src = rvec(20 * 16);
    Dev<float> ds(src), dd(30 * 24);
    for (auto [soff, sstr, doff, dstr, rows, width] : vector<std::array<int64_t, 6>>{{4, 16, 8, 24, 10, 8}, {1, 16, 3, 24, 10, 7}}) {
      cudaMemset(dd.p(), 0, 30 * 24 * 4);
      CK(atl_copy_rows(S, ds.p(), soff, sstr, dd.p(), doff, dstr, rows, width));
      vector<float> want(30 * 24, 0.f);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < width; ++c) want[doff + r * dstr + c] = src[soff + r * sstr + c];
      expectClose(width == 8 ? "copy_rows (uint4)" : "copy_rows (scalar)", dd.get(30 * 24), want, 0, 0);
    }
  }
  auto transposeCase = [](const char* name, vector<int64_t> shape, vector<int32_t> perm) {
    const int rank = static_cast<int>(shape.size());
    int64_t n = 1;
    for (auto s : shape) n *= s;
    vector<float> x(n);
    std::iota(x.begin(), x.end(), 0.f);
    Dev<float> dxv(x), o(n);
    CK(atl_transpose(S, dxv.p(), o.p(), rank, shape.data(), perm.data()));
    vector<int64_t> inStr(rank), outShape(rank);
    for (int k = rank - 1, s = 1; k >= 0; --k) inStr[k] = s, s *= static_cast<int>(shape[k]);
    for (int k = 0; k < rank; ++k) outShape[k] = shape[perm[k]];
    vector<float> want(n);
    for (int64_t e = 0; e < n; ++e) {
      int64_t rem = e, off = 0;
      for (int k = rank - 1; k >= 0; --k) off += (rem % outShape[k]) * inStr[perm[k]], rem /= outShape[k];
      want[e] = x[off];
    }
    expectClose(name, o.get(n), want, 0, 0);
  };
  transposeCase("transpose 2-D tiled [70, 45]", {70, 45}, {1, 0});
  transposeCase("transpose batched tiled [3, 33, 65]", {3, 33, 65}, {0, 2, 1});
  transposeCase("transpose general [2, 3, 4, 5]", {2, 3, 4, 5}, {3, 1, 0, 2});
  transposeCase("transpose identity [6, 7]", {6, 7}, {0, 1});
  {
    int64_t shape[3] = {3, 4, 5}, xs[3] = {0, 1, 0};
    vector<float> x = rvec(4);
    Dev<float> dxv(x), o(60);
    CK(atl_broadcast_to(S, dxv.p(), o.p(), 3, shape, xs));
    vector<float> want(60);
    for (int64_t e = 0; e < 60; ++e) want[e] = x[(e / 5) % 4];
    expectClose("broadcast_to [4,1] → [3,4,5]", o.get(60), want, 0, 0);
  }
}

static void testOptimizers() {
  AtlOptScalars h{};
  h.lr = 0.01f, h.beta1 = 0.9f, h.beta2 = 0.999f, h.eps = 1e-8f, h.l2 = 0.001f, h.weightDecay = 0.01f, h.momentum = 0.9f;
  const int step = 3;
  h.biasCorrection1 = static_cast<float>(1 - std::pow((double)h.beta1, step));
  h.biasCorrection2 = static_cast<float>(1 - std::pow((double)h.beta2, step));
  Dev<AtlOptScalars> ds(vector<AtlOptScalars>{h});
  const int64_t vrows = 6, width = 5, n = vrows * width;
  vector<int32_t> rows = {4, -1, 0, 2};  // sparse: -1 is padding
  const int64_t k = rows.size();
  for (int sparse = 0; sparse <= 1; ++sparse)
    for (int kind = 0; kind < 5; ++kind) {  // adam, adamw, sgd, sgd nesterov, adagrad
      vector<float> p = rvec(n), s1 = rvec(n, 0, 1), s2 = rvec(n, 0, 1);
      const int64_t gn = sparse ? k * width : n;
      vector<float> g = rvec(gn);
      Dev<float> dp(p), dg(g), d1(s1), d2(s2);
      Dev<int32_t> dr(rows);
      const int32_t* rp = sparse ? dr.p() : nullptr;
      if (kind <= 1) CK(atl_adam(S, dp.p(), dg.p(), d1.p(), d2.p(), rp, k, width, n, ds.p(), kind));
      else if (kind <= 3) CK(atl_sgd(S, dp.p(), dg.p(), d1.p(), rp, k, width, n, ds.p(), kind == 3));
      else CK(atl_adagrad(S, dp.p(), dg.p(), d1.p(), rp, k, width, n, ds.p()));
      vector<float> wp = p, w1 = s1, w2 = s2;
      const double lr = h.lr, b1 = h.beta1, b2 = h.beta2, eps = h.eps, l2 = h.l2, mom = h.momentum;
      const double bc1 = 1 - std::pow(b1, step), sqrtBc2 = std::sqrt(1 - std::pow(b2, step));
      for (int64_t e = 0; e < gn; ++e) {
        int64_t i = e;
        if (sparse) {
          const int32_t r = rows[e / width];
          if (r < 0) continue;
          i = r * width + e % width;
        }
        double pi = wp[i];
        const double gi = g[e] + l2 * pi;
        if (kind <= 1) {
          pi *= kind == 1 ? 1 - lr * h.weightDecay : 1;
          const double mi = b1 * w1[i] + (1 - b1) * gi, vi = b2 * w2[i] + (1 - b2) * gi * gi;
          w1[i] = mi, w2[i] = vi;
          wp[i] = pi - (lr / bc1 * mi) / (std::sqrt(vi) / sqrtBc2 + eps);
        } else if (kind <= 3) {
          const double vi = mom * w1[i] + gi;
          w1[i] = vi;
          wp[i] = pi - lr * (kind == 3 ? gi + mom * vi : vi);
        } else {
          const double si = w1[i] + gi * gi;
          w1[i] = si;
          wp[i] = pi - lr * gi / (std::sqrt(si) + eps);
        }
      }
      static const char* kinds[] = {"adam", "adamw", "sgd", "sgd nesterov", "adagrad"};
      char name[64];
      snprintf(name, sizeof name, "%s %s param", kinds[kind], sparse ? "sparse" : "dense");
      expectClose(name, dp.get(n), wp, 2e-6, 1e-7);
      snprintf(name, sizeof name, "%s %s state", kinds[kind], sparse ? "sparse" : "dense");
      expectClose(name, d1.get(n), w1, 2e-6, 1e-7);
    }
}

int main() {
  if (atl_device_errors_init() != 0) {
    printf("no device: %s\n", atl_last_error());
    return 2;
  }
  cudaStreamCreate(&S);
  testElementwise();
  testReduce();
  testSoftmax();
  testLayerNorm();
  testDropout();
  testEmbedding();
  testCopy();
  testOptimizers();
  cudaError_t e = cudaDeviceSynchronize();
  if (e != cudaSuccess) printf("FAIL device: %s\n", cudaGetErrorString(e)), g_failed++;
  if (g_failed) printf("FAILED %d of %d checks\n", g_failed, g_checks);
  else printf("ALL OK (%d checks)\n", g_checks);
  return g_failed ? 1 : 0;
}
