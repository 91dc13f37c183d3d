// Writer: appends values in the canonical encoding (docs/encoding.md) to a byte string.
//
// The writer encodes our own objects, which must already respect their limits: a byte string
// longer than its field's maximum, a count above its maximum or text that is not UTF-8 is a bug in
// the caller, so it is asserted, not reported. Validate objects built from outside input (for
// example with ValidateTransaction) before encoding them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "base/bytes.h"

namespace rightchain::codec {

// Largest length or count a u32 prefix can carry; every field maximum must be at most this.
inline constexpr std::size_t kMaxLengthPrefix = 0xFFFF'FFFF;

class Writer {
 public:
  Writer() = default;
  // Reserves `expected_size_bytes` up front (an object's exact size, when known, avoids regrowth).
  explicit Writer(std::size_t expected_size_bytes) { output_.reserve(expected_size_bytes); }

  void WriteU8(std::uint8_t value);
  void WriteU16(std::uint16_t value);
  void WriteU32(std::uint32_t value);
  void WriteU64(std::uint64_t value);
  void WriteBool(bool value);

  // Raw bytes without a length: fixed-size fields such as digests.
  void WriteFixed(ByteView bytes);
  // u32 length, then the bytes. Asserts bytes.size() <= max_length.
  void WriteBytes(ByteView bytes, std::size_t max_length);
  // As WriteBytes; also asserts that `text` is valid UTF-8.
  void WriteText(std::string_view text, std::size_t max_length);

  // The domain-separation tag of crypto/domain.h; `type` must be valid (our own constant).
  void WriteDomainTag(std::string_view type);
  void WriteVersion(std::uint8_t version);

  // u32 count of a sequence's items. Asserts count <= max_count.
  void WriteCount(std::size_t count, std::size_t max_count);

  // An enumeration with a u8 or u16 underlying type, as that integer.
  template <typename Enum>
  requires std::is_enum_v<Enum>
  void WriteEnum(Enum value) {
    using Underlying = std::underlying_type_t<Enum>;
    static_assert(std::is_same_v<Underlying, std::uint8_t> || std::is_same_v<Underlying, std::uint16_t>,
                  "enumerations are encoded as u8 or u16");
    if constexpr (std::is_same_v<Underlying, std::uint8_t>) {
      WriteU8(static_cast<std::uint8_t>(value));
    } else {
      WriteU16(static_cast<std::uint16_t>(value));
    }
  }

  // Count, then each item through write_item(Writer&, const Item&).
  template <typename Container, typename WriteItem>
  void WriteSequence(const Container& items, std::size_t max_count, WriteItem&& write_item) {
    WriteCount(items.size(), max_count);
    for (const auto& item : items) write_item(*this, item);
  }

  // 0x00, or 0x01 then the value through write_value(Writer&, const Value&).
  template <typename Value, typename WriteValue>
  void WriteOptional(const std::optional<Value>& value, WriteValue&& write_value) {
    WriteBool(value.has_value());
    if (value.has_value()) write_value(*this, *value);
  }

  std::size_t size() const { return output_.size(); }
  const Bytes& bytes() const { return output_; }
  // The encoding; the writer is left empty.
  Bytes Take() && { return std::move(output_); }

 private:
  void WriteLengthPrefixed(ByteView bytes, std::size_t max_length);

  Bytes output_;
};

}  // namespace rightchain::codec
