#include "codec/utf8.h"

#include <cstdint>

namespace rightchain::codec {
namespace {

struct ByteRange {
  std::uint8_t low;
  std::uint8_t high;
  bool Contains(std::uint8_t byte) const { return byte >= low && byte <= high; }
};

constexpr ByteRange kContinuation{0x80, 0xBF};

// The length of the well-formed sequence starting at `text[offset]`, or 0 if it is ill-formed.
// The second byte's range depends on the lead byte: that is what excludes overlong forms
// (E0, F0), surrogates (ED) and code points above U+10FFFF (F4); leads C0, C1, F5..FF never occur.
std::size_t SequenceLength(std::string_view text, std::size_t offset) {
  const auto lead = static_cast<std::uint8_t>(text[offset]);
  if (lead <= 0x7F) return 1;

  std::size_t length = 0;
  ByteRange second = kContinuation;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second = {0xA0, 0xBF};  // below would be overlong (< U+0800)
    if (lead == 0xED) second = {0x80, 0x9F};  // above would be a surrogate
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second = {0x90, 0xBF};  // below would be overlong (< U+10000)
    if (lead == 0xF4) second = {0x80, 0x8F};  // above would exceed U+10FFFF
  } else {
    return 0;  // a continuation byte, or C0, C1, F5..FF which never occur
  }

  if (text.size() - offset < length) return 0;
  if (!second.Contains(static_cast<std::uint8_t>(text[offset + 1]))) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (!kContinuation.Contains(static_cast<std::uint8_t>(text[offset + i]))) return 0;
  }
  return length;
}

}  // namespace

std::optional<std::size_t> FindInvalidUtf8(std::string_view text) {
  std::size_t offset = 0;
  while (offset < text.size()) {
    const std::size_t length = SequenceLength(text, offset);
    if (length == 0) return offset;
    offset += length;
  }
  return std::nullopt;
}

}  // namespace rightchain::codec
