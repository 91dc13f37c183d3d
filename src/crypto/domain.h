// Domain separation: every binary object that is signed or hashed begins with a tag naming
// its type, so that a signature over one kind of object can never be replayed as another.
//
// Tag bytes: 0x00, then one byte n (1..64), then n bytes of the type string, which matches
// [a-z0-9][a-z0-9./_-]* (for example "rightchain/transaction"). C2SP signed notes are text
// and can never start with 0x00, so a note signature can never pass as an object signature.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"

namespace rightchain::crypto {

inline constexpr std::uint8_t kDomainTagMarker = 0x00;
inline constexpr std::size_t kMaxDomainTypeLength = 64;
// The longest tag: marker, length byte, type.
inline constexpr std::size_t kDomainTagMaxSize = 2 + kMaxDomainTypeLength;

bool IsValidDomainType(std::string_view type);

// The tag bytes for `type`; `type` must be valid (types are constants of ours, so this asserts).
Bytes DomainTag(std::string_view type);

// Parses the tag at the start of `message`; returns the tag's length in bytes.
Result<std::size_t> ParseDomainTag(ByteView message);

// The type string of the tag at the start of `message`.
Result<std::string_view> DomainTypeOf(ByteView message);

}  // namespace rightchain::crypto
