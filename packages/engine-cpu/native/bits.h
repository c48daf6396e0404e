// Branchless select on float bits. ReLU masks are ~50/50 positive, so a data-dependent branch
// mispredicts on every other element; the AND of a mask vectorizes instead.
#pragma once
#include <cstdint>
#include <cstring>

namespace atelier {

/** v when keep, else +0 (NaN stays NaN when kept). */
inline float keepIf(float v, bool keep) {
  uint32_t b;
  std::memcpy(&b, &v, 4);
  b &= 0u - static_cast<uint32_t>(keep);
  std::memcpy(&v, &b, 4);
  return v;
}

/** max(v, 0) with NaN passing through and -0 → +0, like the reference's `v <= 0 ? 0 : v`. */
inline float relu(float v) { return keepIf(v, !(v <= 0.f)); }

}  // namespace atelier
