// Strict UTF-8 validation for text fields of the canonical encoding.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace rightchain::codec {

// The byte offset at which the first ill-formed sequence starts, or nullopt if `text` is
// well-formed UTF-8 (Unicode Table 3-7): overlong forms, UTF-16 surrogates (U+D800..U+DFFF),
// code points above U+10FFFF, stray continuation bytes and truncated sequences are ill-formed.
std::optional<std::size_t> FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
  return !FindInvalidUtf8(text).has_value();
}

}  // namespace rightchain::codec
