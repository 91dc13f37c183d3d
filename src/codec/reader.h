// Reader: decodes values in the canonical encoding (docs/encoding.md) from a byte string, strictly.
//
// Every Read names the field it reads ("transaction.nonce"); a failure is a Status with code
// kInvalidArgument whose message starts with that name. Reads return Result so that a decoder
// stops at the first bad field (RC_ASSIGN_OR_RETURN) and never interprets the bytes after it.
// The first error is also kept (sticky): every later read and Finish() return it, so a decoder
// that ignored one failure still cannot succeed.
//
// Length and count prefixes are checked against the field's maximum and against the bytes that
// remain before anything is allocated. Byte and text values are returned as views into the input,
// which must outlive them.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::codec {

class Reader {
 public:
  explicit Reader(ByteView input) : input_(input) {}

  std::size_t position() const { return position_; }
  std::size_t remaining() const { return input_.size() - position_; }
  // The first error met, or OK.
  const Status& status() const { return error_; }

  Result<std::uint8_t> ReadU8(std::string_view field);
  Result<std::uint16_t> ReadU16(std::string_view field);
  Result<std::uint32_t> ReadU32(std::string_view field);
  Result<std::uint64_t> ReadU64(std::string_view field);
  // Exactly 0x00 or 0x01.
  Result<bool> ReadBool(std::string_view field);

  // `size` raw bytes (a fixed-size field: no length prefix).
  Result<ByteView> ReadFixed(std::string_view field, std::size_t size);
  template <std::size_t kSize>
  Result<std::array<std::uint8_t, kSize>> ReadArray(std::string_view field) {
    RC_ASSIGN_OR_RETURN(const ByteView bytes, ReadFixed(field, kSize));
    std::array<std::uint8_t, kSize> array;
    std::copy(bytes.begin(), bytes.end(), array.begin());
    return array;
  }

  // u32 length (at most max_length, at most the bytes remaining), then that many bytes.
  Result<ByteView> ReadBytes(std::string_view field, std::size_t max_length);
  // As ReadBytes, and the bytes must be valid UTF-8.
  Result<std::string_view> ReadText(std::string_view field, std::size_t max_length);

  // The domain-separation tag (crypto/domain.h), which must name exactly `type`.
  Status ExpectDomainTag(std::string_view field, std::string_view type);
  // A u8 version, which must be one of `allowed`.
  Result<std::uint8_t> ReadVersion(std::string_view field, std::span<const std::uint8_t> allowed);

  // A u32 item count: at most max_count, and count × min_item_size (the smallest encoding of one
  // item, at least 1 byte) must fit in the bytes remaining, so a count can be reserved safely.
  Result<std::size_t> ReadCount(std::string_view field, std::size_t max_count, std::size_t min_item_size);
  // The presence byte of an optional: 0x00 absent, 0x01 present.
  Result<bool> ReadPresence(std::string_view field);

  // An enumeration with a u8 or u16 underlying type; the value must be one of `allowed`.
  template <typename Enum>
  requires std::is_enum_v<Enum> Result<Enum> ReadEnum(std::string_view field, std::span<const Enum> allowed) {
    using Underlying = std::underlying_type_t<Enum>;
    static_assert(std::is_same_v<Underlying, std::uint8_t> || std::is_same_v<Underlying, std::uint16_t>,
                  "enumerations are encoded as u8 or u16");
    std::uint16_t value = 0;
    if constexpr (std::is_same_v<Underlying, std::uint8_t>) {
      RC_ASSIGN_OR_RETURN(value, ReadU8(field));
    } else {
      RC_ASSIGN_OR_RETURN(value, ReadU16(field));
    }
    for (const Enum candidate : allowed) {
      if (static_cast<Underlying>(candidate) == value) return candidate;
    }
    return Fail(field, "value " + std::to_string(value) + " is not one of the allowed values");
  }

  // Count, then items through read_item(Reader&) -> Result<Item>.
  template <typename Item, typename ReadItem>
  Result<std::vector<Item>> ReadSequence(std::string_view field, std::size_t max_count,
                                         std::size_t min_item_size, ReadItem&& read_item) {
    RC_ASSIGN_OR_RETURN(const std::size_t count, ReadCount(field, max_count, min_item_size));
    std::vector<Item> items;
    items.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      RC_ASSIGN_OR_RETURN(Item item, read_item(*this));
      items.push_back(std::move(item));
    }
    return items;
  }

  // Presence byte, then (if present) the value through read_value(Reader&) -> Result<Value>.
  template <typename Value, typename ReadValue>
  Result<std::optional<Value>> ReadOptional(std::string_view field, ReadValue&& read_value) {
    RC_ASSIGN_OR_RETURN(const bool present, ReadPresence(field));
    if (!present) return std::optional<Value>();
    RC_ASSIGN_OR_RETURN(Value value, read_value(*this));
    return std::optional<Value>(std::move(value));
  }

  // Records a failure of `field` found by the object's own checks (for example a key whose length
  // does not suit its scheme) and returns it: "field: problem". Sticky like every other error.
  Status Fail(std::string_view field, std::string_view problem);

  // OK if no error occurred and every input byte was read; otherwise the first error, or
  // "object: N trailing bytes after the last field".
  Status Finish(std::string_view object);

 private:
  // The next `size` bytes, advancing past them.
  Result<ByteView> Take(std::string_view field, std::size_t size);
  // A u32 length prefix checked against max_length and the bytes remaining.
  Result<std::size_t> ReadLength(std::string_view field, std::size_t max_length);

  ByteView input_;
  std::size_t position_ = 0;
  Status error_;
};

}  // namespace rightchain::codec
