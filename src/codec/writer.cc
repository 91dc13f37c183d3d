#include "codec/writer.h"

#include "base/assert.h"
#include "codec/utf8.h"
#include "crypto/domain.h"

namespace rightchain::codec {

void Writer::WriteU8(std::uint8_t value) {
  output_.push_back(value);
}

void Writer::WriteU16(std::uint16_t value) {
  WriteU8(static_cast<std::uint8_t>(value >> 8));
  WriteU8(static_cast<std::uint8_t>(value));
}

void Writer::WriteU32(std::uint32_t value) {
  WriteU16(static_cast<std::uint16_t>(value >> 16));
  WriteU16(static_cast<std::uint16_t>(value));
}

void Writer::WriteU64(std::uint64_t value) {
  WriteU32(static_cast<std::uint32_t>(value >> 32));
  WriteU32(static_cast<std::uint32_t>(value));
}

void Writer::WriteBool(bool value) {
  WriteU8(value ? 0x01 : 0x00);
}

void Writer::WriteFixed(ByteView bytes) {
  output_.insert(output_.end(), bytes.begin(), bytes.end());
}

void Writer::WriteBytes(ByteView bytes, std::size_t max_length) {
  WriteLengthPrefixed(bytes, max_length);
}

void Writer::WriteText(std::string_view text, std::size_t max_length) {
  RC_ASSERT_MSG(IsValidUtf8(text), "text field is not valid UTF-8");
  WriteLengthPrefixed(AsBytes(text), max_length);
}

void Writer::WriteDomainTag(std::string_view type) {
  WriteFixed(crypto::DomainTag(type));
}

void Writer::WriteVersion(std::uint8_t version) {
  RC_ASSERT(version != 0);  // versions start at 1
  WriteU8(version);
}

void Writer::WriteCount(std::size_t count, std::size_t max_count) {
  RC_ASSERT(max_count <= kMaxLengthPrefix);
  RC_ASSERT(count <= max_count);
  WriteU32(static_cast<std::uint32_t>(count));
}

void Writer::WriteLengthPrefixed(ByteView bytes, std::size_t max_length) {
  RC_ASSERT(max_length <= kMaxLengthPrefix);
  RC_ASSERT(bytes.size() <= max_length);
  WriteU32(static_cast<std::uint32_t>(bytes.size()));
  WriteFixed(bytes);
}

}  // namespace rightchain::codec
