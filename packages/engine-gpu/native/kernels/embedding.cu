// Embedding lookup (gather), its sparse gradient scatter-add, and coalesce_rows: sparse gradient rows
// summed per distinct row with a static output size, so the step stays capturable as a CUDA Graph.
// Mirrors backends/cpu/gather-kernels.ts: a negative id/row is padding (zero row / skipped), one past
// the table records the device error. coalesce_rows sorts (row, position) pairs with CUB's radix sort
// in the caller's scratch (stable, so each row's values are summed in position order exactly like the
// reference — the sums are bitwise equal to its float32 mode), then one thread per output value.
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>

#include "launch.cuh"

namespace {

using atl::kBlock;

// T = float or float4 (when d % 4 == 0 and the pointers are 16-byte aligned); dv = d in units of T.
template <typename T>
__global__ void gatherKernel(const T* __restrict__ table, int64_t v, int64_t dv, const int32_t* __restrict__ ids, int64_t n,
                             T* __restrict__ out, int32_t* errorWord) {
  ATL_GRID_STRIDE(e, n * dv) {
    const int64_t i = e / dv, j = e % dv;
    const int32_t id = ids[i];
    if (id >= 0 && id < v) {
      out[e] = table[id * dv + j];
    } else {
      if (id >= v && j == 0) atl::recordError(errorWord, ATL_DEV_ID_RANGE, i, id, v);
      out[e] = T{};
    }
  }
}

__global__ void scatterAddKernel(const float* __restrict__ values, int64_t d, const int32_t* __restrict__ rows, int64_t k, int64_t numRows,
                                 float* __restrict__ out, int32_t* errorWord) {
  ATL_GRID_STRIDE(e, k * d) {
    const int64_t i = e / d, j = e % d;
    const int32_t r = rows[i];
    if (r < 0) continue;  // padding
    if (r >= numRows) {
      if (j == 0) atl::recordError(errorWord, ATL_DEV_ROW_RANGE, i, r, numRows);
      continue;
    }
    atomicAdd(out + r * d + j, values[e]);
  }
}

constexpr uint32_t kNoRow = 0xffffffffu;  // negative rows sort last and are dropped

__global__ void coalescePrepKernel(const int32_t* __restrict__ rows, int64_t k, uint32_t* __restrict__ keys, int32_t* __restrict__ pos) {
  ATL_GRID_STRIDE(i, k) {
    const int32_t r = rows[i];
    keys[i] = r >= 0 ? static_cast<uint32_t>(r) : kNoRow;
    pos[i] = static_cast<int32_t>(i);
  }
}

// heads[s] = 1 where sorted position s starts a new (real) row.
__global__ void coalesceHeadsKernel(const uint32_t* __restrict__ keys, int64_t k, int32_t* __restrict__ heads) {
  ATL_GRID_STRIDE(s, k) {
    const uint32_t key = keys[s];
    heads[s] = key != kNoRow && (s == 0 || key != keys[s - 1]) ? 1 : 0;
  }
}

// seg = inclusive scan of heads: the head of distinct row u (0-based) has seg = u + 1. starts[u] is
// where row u's run begins and starts[count] where the real rows end, so run u is [starts[u], starts[u + 1]).
__global__ void coalesceStartsKernel(const uint32_t* __restrict__ keys, const int32_t* __restrict__ heads, const int32_t* __restrict__ seg,
                                     int64_t k, int32_t* __restrict__ starts, int32_t* __restrict__ count) {
  ATL_GRID_STRIDE(s, k) {
    if (heads[s]) starts[seg[s] - 1] = static_cast<int32_t>(s);
    if (keys[s] != kNoRow && (s == k - 1 || keys[s + 1] == kNoRow)) starts[seg[s]] = static_cast<int32_t>(s + 1);
    if (s == k - 1) *count = seg[s];
  }
}

__global__ void coalesceUniqKernel(const uint32_t* __restrict__ keys, const int32_t* __restrict__ starts, const int32_t* __restrict__ count,
                                   int64_t k, int32_t* __restrict__ uniq) {
  const int64_t u0 = *count;
  ATL_GRID_STRIDE(u, k) uniq[u] = u < u0 ? static_cast<int32_t>(keys[starts[u]]) : -1;
}

// out[u, j] = Σ values[pos, j] over the sorted run of row u (position order); zeros past count.
__global__ void coalesceSumKernel(const int32_t* __restrict__ pos, const int32_t* __restrict__ starts,
                                  const int32_t* __restrict__ count, const float* __restrict__ values, int64_t k, int64_t d,
                                  float* __restrict__ out) {
  const int64_t u0 = *count;
  ATL_GRID_STRIDE(e, k * d) {
    const int64_t u = e / d, j = e % d;
    float acc = 0.f;
    if (u < u0) {
      const int32_t s1 = starts[u + 1];
      // Sequential adds keep the reference's order; the unrolled loads overlap. A very frequent row
      // (thousands of copies in one batch) makes its threads long: the price of that exactness.
#pragma unroll 8
      for (int32_t s = starts[u]; s < s1; ++s) acc += values[static_cast<int64_t>(pos[s]) * d + j];
    }
    out[e] = acc;
  }
}

size_t alignUp(size_t b) { return (b + 255) & ~static_cast<size_t>(255); }

struct CoalesceLayout {
  size_t keysIn, keysOut, posIn, posOut, heads, seg, starts, temp, tempBytes, total;
};

// Six k-sized int32 arrays, starts (k + 1), then CUB's temporary storage (the larger of the sort's and
// the scan's); each part 256-byte aligned from the scratch's base, which CUB needs aligned too.
cudaError_t coalesceLayout(int64_t k, CoalesceLayout* l) {
  const int items = static_cast<int>(k);
  size_t sortBytes = 0, scanBytes = 0;
  cudaError_t e = cub::DeviceRadixSort::SortPairs(nullptr, sortBytes, static_cast<const uint32_t*>(nullptr), static_cast<uint32_t*>(nullptr),
                                                  static_cast<const int32_t*>(nullptr), static_cast<int32_t*>(nullptr), items);
  if (e != cudaSuccess) return e;
  e = cub::DeviceScan::InclusiveSum(nullptr, scanBytes, static_cast<const int32_t*>(nullptr), static_cast<int32_t*>(nullptr), items);
  if (e != cudaSuccess) return e;
  const size_t arr = alignUp(static_cast<size_t>(k) * sizeof(int32_t));
  l->keysIn = 0;
  l->keysOut = l->keysIn + arr;
  l->posIn = l->keysOut + arr;
  l->posOut = l->posIn + arr;
  l->heads = l->posOut + arr;
  l->seg = l->heads + arr;
  l->starts = l->seg + arr;
  l->temp = l->starts + alignUp(static_cast<size_t>(k + 1) * sizeof(int32_t));
  l->tempBytes = sortBytes > scanBytes ? sortBytes : scanBytes;
  l->total = l->temp + alignUp(l->tempBytes);
  return cudaSuccess;
}

}  // namespace

int atl_gather(cudaStream_t stream, const float* table, int64_t v, int64_t d, const int32_t* ids, int64_t n, float* out) {
  ATL_CHECK_ARG(v >= 0 && d >= 0 && n >= 0, "gather: v, d and n must be >= 0");
  if (n * d == 0) return ATL_OK;
  ATL_CHECK_ARG(ids && out && (v == 0 || table), "gather: null pointer");
  ATL_ERROR_WORD(errorWord);
  if (d % 4 == 0 && atl::aligned16(table) && atl::aligned16(out)) {
    gatherKernel<float4><<<atl::gridFor(n * d / 4), kBlock, 0, stream>>>(reinterpret_cast<const float4*>(table), v, d / 4, ids, n,
                                                                         reinterpret_cast<float4*>(out), errorWord);
  } else {
    gatherKernel<float><<<atl::gridFor(n * d), kBlock, 0, stream>>>(table, v, d, ids, n, out, errorWord);
  }
  ATL_LAUNCH_CHECK("gather");
  return ATL_OK;
}

int atl_scatter_add(cudaStream_t stream, const float* values, int64_t d, const int32_t* rows, int64_t k, int64_t numRows, float* out) {
  ATL_CHECK_ARG(d >= 0 && k >= 0 && numRows >= 0, "scatter_add: d, k and numRows must be >= 0");
  if (numRows * d == 0) return ATL_OK;
  ATL_CHECK_ARG(out != nullptr, "scatter_add: null output");
  cudaError_t e = cudaMemsetAsync(out, 0, static_cast<size_t>(numRows * d) * sizeof(float), stream);
  if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "scatter_add (zero)");
  if (k == 0) return ATL_OK;
  ATL_CHECK_ARG(values && rows, "scatter_add: null pointer");
  ATL_ERROR_WORD(errorWord);
  scatterAddKernel<<<atl::gridFor(k * d), kBlock, 0, stream>>>(values, d, rows, k, numRows, out, errorWord);
  ATL_LAUNCH_CHECK("scatter_add");
  return ATL_OK;
}

size_t atl_coalesce_scratch_bytes(int64_t k, int64_t d) {
  (void)d;  // the scratch holds positions, not values
  if (k <= 0 || k > INT32_MAX) return 0;
  CoalesceLayout l;
  // Asking CUB for its temporary size needs a device (it reads the device's PTX version); 0 without one.
  if (coalesceLayout(k, &l) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return l.total;
}

int atl_coalesce_rows(cudaStream_t stream, const int32_t* rows, const float* values, int64_t k, int64_t d, int32_t* uniq, float* out,
                      int32_t* count, void* scratch) {
  ATL_CHECK_ARG(k >= 0 && d >= 0, "coalesce_rows: k and d must be >= 0");
  ATL_CHECK_ARG(k <= INT32_MAX, "coalesce_rows: k must fit int32");
  ATL_CHECK_ARG(count != nullptr, "coalesce_rows: null count");
  if (k == 0) {
    cudaError_t e = cudaMemsetAsync(count, 0, sizeof(int32_t), stream);
    if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "coalesce_rows (count)");
    return ATL_OK;
  }
  ATL_CHECK_ARG(rows && uniq && scratch && (d == 0 || (values && out)), "coalesce_rows: null pointer");
  CoalesceLayout l;
  cudaError_t e = coalesceLayout(k, &l);
  if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "coalesce_rows (CUB temporary size)");
  char* base = static_cast<char*>(scratch);
  uint32_t* keysIn = reinterpret_cast<uint32_t*>(base + l.keysIn);
  uint32_t* keysOut = reinterpret_cast<uint32_t*>(base + l.keysOut);
  int32_t* posIn = reinterpret_cast<int32_t*>(base + l.posIn);
  int32_t* posOut = reinterpret_cast<int32_t*>(base + l.posOut);
  int32_t* heads = reinterpret_cast<int32_t*>(base + l.heads);
  int32_t* seg = reinterpret_cast<int32_t*>(base + l.seg);
  int32_t* starts = reinterpret_cast<int32_t*>(base + l.starts);
  void* temp = base + l.temp;
  const int items = static_cast<int>(k);
  const unsigned grid = atl::gridFor(k);

  coalescePrepKernel<<<grid, kBlock, 0, stream>>>(rows, k, keysIn, posIn);
  ATL_LAUNCH_CHECK("coalesce_rows (prepare)");
  size_t bytes = l.tempBytes;
  e = cub::DeviceRadixSort::SortPairs(temp, bytes, keysIn, keysOut, posIn, posOut, items, 0, 32, stream);
  if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "coalesce_rows (sort)");
  coalesceHeadsKernel<<<grid, kBlock, 0, stream>>>(keysOut, k, heads);
  ATL_LAUNCH_CHECK("coalesce_rows (heads)");
  bytes = l.tempBytes;
  e = cub::DeviceScan::InclusiveSum(temp, bytes, heads, seg, items, stream);
  if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "coalesce_rows (scan)");
  coalesceStartsKernel<<<grid, kBlock, 0, stream>>>(keysOut, heads, seg, k, starts, count);
  ATL_LAUNCH_CHECK("coalesce_rows (starts)");
  coalesceUniqKernel<<<grid, kBlock, 0, stream>>>(keysOut, starts, count, k, uniq);
  ATL_LAUNCH_CHECK("coalesce_rows (uniq)");
  if (d > 0) {
    coalesceSumKernel<<<atl::gridFor(k * d), kBlock, 0, stream>>>(posOut, starts, count, values, k, d, out);
    ATL_LAUNCH_CHECK("coalesce_rows (sums)");
  }
  return ATL_OK;
}
