#pragma once

#include <cstdint>
#include <string_view>

namespace retort::core {

// A 128-bit hash of a file's bytes: two 64-bit lanes with their own keys, each folding every
// 16-byte block through a 64x64->128-bit multiply, so it runs at several GB/s (the parse
// cache hashes every revision file on every load; SHA would cost more than the parse saves).
// Not cryptographic: it keys caches of files the user owns, it does not defend against them.
struct ContentHash
{
    uint64_t a = 0;
    uint64_t b = 0;
    friend bool operator==(const ContentHash &, const ContentHash &) = default;
};

ContentHash hashContent(std::string_view bytes);

} // namespace retort::core
