#include "contenthash.h"

#include <cstring>

namespace retort::core {

namespace {

// Odd constants with well-mixed bits (the fractional digits of pi and e).
constexpr uint64_t k0 = 0x243f6a8885a308d3ull;
constexpr uint64_t k1 = 0x13198a2e03707344ull;
constexpr uint64_t k2 = 0xb7e151628aed2a6bull;
constexpr uint64_t k3 = 0xa4093822299f31d0ull;
constexpr uint64_t k4 = 0x082efa98ec4e6c89ull;

// The 128-bit product folded to 64 bits: every input bit reaches most output bits.
inline uint64_t mix(uint64_t x, uint64_t y)
{
    const unsigned __int128 p = static_cast<unsigned __int128>(x) * y;
    return uint64_t(p) ^ uint64_t(p >> 64);
}

inline uint64_t load64(const char *p)
{
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

} // namespace

ContentHash hashContent(std::string_view bytes)
{
    const char *p = bytes.data();
    size_t n = bytes.size();
    uint64_t a = k0 ^ n;
    uint64_t b = k2 ^ (n * k4);
    while (n >= 16) {
        const uint64_t m0 = load64(p);
        const uint64_t m1 = load64(p + 8);
        // Each lane takes both words, in opposite roles: a block that leaves one lane's
        // product unchanged (a zero factor) still changes the other.
        a = mix(a ^ m0 ^ k1, m1 ^ k3) + a;
        b = mix(b ^ m1 ^ k4, m0 ^ k2) + b;
        p += 16;
        n -= 16;
    }
    char tail[16] = {};
    std::memcpy(tail, p, n);
    const uint64_t m0 = load64(tail);
    const uint64_t m1 = load64(tail + 8);
    a = mix(a ^ m0 ^ k1, m1 ^ k3 ^ n) + a;
    b = mix(b ^ m1 ^ k4, m0 ^ k2 ^ n) + b;
    // Finalise each lane with the other's key so equal lane states give unequal halves.
    a = mix(a ^ k2, a ^ k3) ^ a;
    b = mix(b ^ k1, b ^ k0) ^ b;
    return {mix(a, k4 ^ b) ^ a, mix(b, k3 ^ a) ^ b};
}

} // namespace retort::core
