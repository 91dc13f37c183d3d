// Little-endian writing and bounds-checked reading of the fingerprint module's binary formats
// (fingerprint bytes and index files). Internal to src/fingerprint.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::fingerprint::detail {

// Little-endian loads and stores on raw bytes (compilers turn these into single moves).
inline std::uint32_t Load32(const std::uint8_t* bytes) {
  std::uint32_t value = 0;
  for (int index = 0; index < 4; ++index) value |= std::uint32_t{bytes[index]} << (8 * index);
  return value;
}
inline std::uint64_t Load64(const std::uint8_t* bytes) {
  std::uint64_t value = 0;
  for (int index = 0; index < 8; ++index) value |= std::uint64_t{bytes[index]} << (8 * index);
  return value;
}
inline void Store32(std::uint8_t* bytes, std::uint32_t value) {
  for (int index = 0; index < 4; ++index) bytes[index] = static_cast<std::uint8_t>(value >> (8 * index));
}
inline void Store64(std::uint8_t* bytes, std::uint64_t value) {
  for (int index = 0; index < 8; ++index) bytes[index] = static_cast<std::uint8_t>(value >> (8 * index));
}

class ByteWriter {
 public:
  void U8(std::uint8_t value) { bytes_.push_back(value); }
  void U32(std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) bytes_.push_back(static_cast<std::uint8_t>(value >> shift));
  }
  void U64(std::uint64_t value) {
    for (int shift = 0; shift < 64; shift += 8) bytes_.push_back(static_cast<std::uint8_t>(value >> shift));
  }
  void Raw(std::string_view text) { bytes_.insert(bytes_.end(), text.begin(), text.end()); }
  // Appends `size_bytes` zero bytes and returns where they start, for bulk stores.
  std::uint8_t* Extend(std::size_t size_bytes) {
    const std::size_t offset = bytes_.size();
    bytes_.resize(offset + size_bytes);
    return bytes_.data() + offset;
  }
  void Reserve(std::size_t size_bytes) { bytes_.reserve(size_bytes); }
  std::size_t size() const { return bytes_.size(); }
  Bytes& bytes() { return bytes_; }

 private:
  Bytes bytes_;
};

// Every read checks the remaining length first and reports what it was reading.
class ByteReader {
 public:
  explicit ByteReader(ByteView bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - offset_; }
  std::size_t offset() const { return offset_; }

  Status Need(std::size_t size_bytes, std::string_view what) const {
    if (size_bytes > remaining()) {
      return Status::Corruption("truncated: " + std::string(what) + " needs " + std::to_string(size_bytes) +
                                " bytes at offset " + std::to_string(offset_) + ", " +
                                std::to_string(remaining()) + " left");
    }
    return Status::Ok();
  }
  Result<std::uint8_t> U8(std::string_view what) {
    RC_RETURN_IF_ERROR(Need(1, what));
    return bytes_[offset_++];
  }
  Result<std::uint32_t> U32(std::string_view what) {
    RC_RETURN_IF_ERROR(Need(4, what));
    std::uint32_t value = 0;
    for (int index = 0; index < 4; ++index) value |= std::uint32_t{bytes_[offset_ + index]} << (8 * index);
    offset_ += 4;
    return value;
  }
  Result<std::uint64_t> U64(std::string_view what) {
    RC_RETURN_IF_ERROR(Need(8, what));
    std::uint64_t value = 0;
    for (int index = 0; index < 8; ++index) value |= std::uint64_t{bytes_[offset_ + index]} << (8 * index);
    offset_ += 8;
    return value;
  }
  // Checks that `size_bytes` remain and returns where they start, for bulk loads.
  Result<const std::uint8_t*> Take(std::size_t size_bytes, std::string_view what) {
    RC_RETURN_IF_ERROR(Need(size_bytes, what));
    const std::uint8_t* start = bytes_.data() + offset_;
    offset_ += size_bytes;
    return start;
  }
  Result<std::string_view> Raw(std::size_t size_bytes, std::string_view what) {
    RC_RETURN_IF_ERROR(Need(size_bytes, what));
    std::string_view text(reinterpret_cast<const char*>(bytes_.data()) + offset_, size_bytes);
    offset_ += size_bytes;
    return text;
  }

 private:
  ByteView bytes_;
  std::size_t offset_ = 0;
};

}  // namespace rightchain::fingerprint::detail
