#include "codec/reader.h"

#include <string>

#include "codec/utf8.h"
#include "codec/writer.h"
#include "crypto/domain.h"

namespace rightchain::codec {
namespace {

std::string HexByte(std::uint8_t byte) {
  constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[byte >> 4] + kDigits[byte & 0x0F];
}

std::string Quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

}  // namespace

Status Reader::Fail(std::string_view field, std::string_view problem) {
  if (!error_.ok()) return error_;  // keep the first error: it is the cause
  std::string message(field);
  message += ": ";
  message += problem;
  error_ = Status::InvalidArgument(std::move(message));
  return error_;
}

Result<ByteView> Reader::Take(std::string_view field, std::size_t size) {
  if (!error_.ok()) return error_;
  if (size > remaining()) {
    return Fail(field, "truncated: needs " + std::to_string(size) + " bytes, " + std::to_string(remaining()) +
                           " remain");
  }
  const ByteView bytes = input_.subspan(position_, size);
  position_ += size;
  return bytes;
}

Result<std::uint8_t> Reader::ReadU8(std::string_view field) {
  RC_ASSIGN_OR_RETURN(const ByteView bytes, Take(field, 1));
  return bytes[0];
}

Result<std::uint16_t> Reader::ReadU16(std::string_view field) {
  RC_ASSIGN_OR_RETURN(const ByteView bytes, Take(field, 2));
  return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]);
}

Result<std::uint32_t> Reader::ReadU32(std::string_view field) {
  RC_ASSIGN_OR_RETURN(const ByteView bytes, Take(field, 4));
  std::uint32_t value = 0;
  for (const std::uint8_t byte : bytes) value = (value << 8) | byte;
  return value;
}

Result<std::uint64_t> Reader::ReadU64(std::string_view field) {
  RC_ASSIGN_OR_RETURN(const ByteView bytes, Take(field, 8));
  std::uint64_t value = 0;
  for (const std::uint8_t byte : bytes) value = (value << 8) | byte;
  return value;
}

Result<bool> Reader::ReadBool(std::string_view field) {
  RC_ASSIGN_OR_RETURN(const std::uint8_t byte, ReadU8(field));
  if (byte > 0x01) return Fail(field, "invalid bool byte " + HexByte(byte) + " (must be 0x00 or 0x01)");
  return byte == 0x01;
}

Result<bool> Reader::ReadPresence(std::string_view field) {
  RC_ASSIGN_OR_RETURN(const std::uint8_t byte, ReadU8(field));
  if (byte > 0x01) return Fail(field, "invalid presence byte " + HexByte(byte) + " (must be 0x00 or 0x01)");
  return byte == 0x01;
}

Result<ByteView> Reader::ReadFixed(std::string_view field, std::size_t size) {
  return Take(field, size);
}

Result<std::size_t> Reader::ReadLength(std::string_view field, std::size_t max_length) {
  RC_ASSERT(max_length <= kMaxLengthPrefix);
  RC_ASSIGN_OR_RETURN(const std::uint32_t length, ReadU32(field));
  if (length > max_length) {
    return Fail(field, "length " + std::to_string(length) + " exceeds maximum " + std::to_string(max_length));
  }
  if (length > remaining()) {
    return Fail(field, "length " + std::to_string(length) + " exceeds the " + std::to_string(remaining()) +
                           " bytes remaining");
  }
  return static_cast<std::size_t>(length);
}

Result<ByteView> Reader::ReadBytes(std::string_view field, std::size_t max_length) {
  RC_ASSIGN_OR_RETURN(const std::size_t length, ReadLength(field, max_length));
  return Take(field, length);
}

Result<std::string_view> Reader::ReadText(std::string_view field, std::size_t max_length) {
  RC_ASSIGN_OR_RETURN(const ByteView bytes, ReadBytes(field, max_length));
  const std::string_view text = AsText(bytes);
  if (const std::optional<std::size_t> offset = FindInvalidUtf8(text)) {
    return Fail(field, "not valid UTF-8 (ill-formed sequence at byte " + std::to_string(*offset) + ")");
  }
  return text;
}

Status Reader::ExpectDomainTag(std::string_view field, std::string_view type) {
  RC_ASSERT(crypto::IsValidDomainType(type));
  if (!error_.ok()) return error_;
  const ByteView rest = input_.subspan(position_);
  const Result<std::size_t> tag_size = crypto::ParseDomainTag(rest);
  if (!tag_size.ok()) return Fail(field, tag_size.status().message());
  // A well-formed tag is 0x00, n, then n type characters from [a-z0-9./_-], safe to quote.
  const std::string_view found = AsText(rest.subspan(2, *tag_size - 2));
  if (found != type) return Fail(field, "type " + Quoted(found) + " where " + Quoted(type) + " was expected");
  position_ += *tag_size;
  return Status::Ok();
}

Result<std::uint8_t> Reader::ReadVersion(std::string_view field, std::span<const std::uint8_t> allowed) {
  RC_ASSIGN_OR_RETURN(const std::uint8_t version, ReadU8(field));
  for (const std::uint8_t known : allowed) {
    if (version == known) return version;
  }
  return Fail(field, "unknown version " + std::to_string(version));
}

Result<std::size_t> Reader::ReadCount(std::string_view field, std::size_t max_count,
                                      std::size_t min_item_size) {
  RC_ASSERT(max_count <= kMaxLengthPrefix);
  RC_ASSERT(min_item_size >= 1);
  RC_ASSIGN_OR_RETURN(const std::uint32_t count, ReadU32(field));
  if (count > max_count) {
    return Fail(field, "count " + std::to_string(count) + " exceeds maximum " + std::to_string(max_count));
  }
  if (count > remaining() / min_item_size) {
    return Fail(field, "count " + std::to_string(count) + " of items of at least " +
                           std::to_string(min_item_size) + " bytes exceeds the " +
                           std::to_string(remaining()) + " bytes remaining");
  }
  return static_cast<std::size_t>(count);
}

Status Reader::Finish(std::string_view object) {
  if (!error_.ok()) return error_;
  if (remaining() != 0) {
    const char* noun = remaining() == 1 ? " trailing byte" : " trailing bytes";
    return Fail(object, std::to_string(remaining()) + noun + " after the last field");
  }
  return Status::Ok();
}

}  // namespace rightchain::codec
