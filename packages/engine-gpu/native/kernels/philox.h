// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", Random123), compiled for
// the device (dropout.cu) and the host (its CPU twin; src/philox.ts is the TypeScript twin). The
// dropout stream: key = {seed low 32 bits, seed high 32 bits}; element p of the stream is word p % 4 of
// philox(counter = {c low, c high, 0, 0}, key) with c = p / 4; its uniform is (bits >> 8) · 2⁻²⁴ ∈ [0, 1).
#pragma once
#include <cstdint>

#if defined(__CUDACC__)
#define ATL_HD __host__ __device__ __forceinline__
#else
#define ATL_HD inline
#endif

namespace atl {

struct Philox4 {
  uint32_t v[4];
};

ATL_HD uint32_t mulhilo32(uint32_t a, uint32_t b, uint32_t* hi) {
  const uint64_t p = static_cast<uint64_t>(a) * b;
  *hi = static_cast<uint32_t>(p >> 32);
  return static_cast<uint32_t>(p);
}

/** Ten rounds; the key is bumped by the Weyl constants before rounds 2..10. */
ATL_HD Philox4 philox4x32_10(Philox4 ctr, uint32_t k0, uint32_t k1) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    uint32_t hi0, hi1;
    const uint32_t lo0 = mulhilo32(0xD2511F53u, ctr.v[0], &hi0);
    const uint32_t lo1 = mulhilo32(0xCD9E8D57u, ctr.v[2], &hi1);
    ctr = Philox4{{hi1 ^ ctr.v[1] ^ k0, lo1, hi0 ^ ctr.v[3] ^ k1, lo0}};
  }
  return ctr;
}

/** The four words of block c of the stream keyed by seed. */
ATL_HD Philox4 philoxBlock(uint64_t seed, uint64_t c) {
  return philox4x32_10(Philox4{{static_cast<uint32_t>(c), static_cast<uint32_t>(c >> 32), 0u, 0u}},
                       static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

/** 24 random bits scaled to [0, 1): exact in float. */
ATL_HD float philoxUniform(uint32_t bits) { return static_cast<float>(bits >> 8) * (1.0f / 16777216.0f); }

}  // namespace atl
