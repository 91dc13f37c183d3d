// Byte strings and their text forms (hex, base64).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rightchain {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}
inline std::string_view AsText(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}
inline Bytes ToBytes(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

// Lower-case hex, two digits per byte.
std::string HexEncode(ByteView bytes);
// Accepts upper or lower case; rejects odd length and non-hex characters.
Result<Bytes> HexDecode(std::string_view hex);

// Standard base64 (RFC 4648 §4) with padding.
std::string Base64Encode(ByteView bytes);
// Strict: rejects missing or wrong padding, characters outside the alphabet, and non-zero pad bits.
Result<Bytes> Base64Decode(std::string_view text);

// Constant-time comparison for secrets and MACs.
bool ConstantTimeEqual(ByteView a, ByteView b);

}  // namespace rightchain
