#include "fingerprint/index_file.h"

#include <zlib.h>

#include <algorithm>
#include <string>

namespace rightchain::fingerprint::detail {

std::uint32_t Crc32(ByteView bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const std::size_t chunk = std::min<std::size_t>(bytes.size() - offset, 1u << 30);  // zlib takes uInt
    crc = crc32(crc, bytes.data() + offset, static_cast<uInt>(chunk));
    offset += chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

Result<ByteReader> OpenIndexFile(ByteView file, std::string_view what, std::string_view magic,
                                 std::uint32_t format_version, std::uint32_t algorithm_version,
                                 bool verify_checksum) {
  const std::string name(what);
  if (file.size() < magic.size() + 12) return Status::Corruption(name + " is truncated");
  const ByteView body = file.first(file.size() - 4);
  if (verify_checksum && Load32(file.data() + body.size()) != Crc32(body)) {
    return Status::Corruption(name + " checksum mismatch (the file is damaged or truncated)");
  }
  ByteReader reader(body);
  RC_ASSIGN_OR_RETURN(const std::string_view found_magic, reader.Raw(magic.size(), "magic"));
  if (found_magic != magic) return Status::Corruption("not a Rightchain " + name + " (bad magic)");
  RC_ASSIGN_OR_RETURN(const std::uint32_t found_format, reader.U32("format version"));
  if (found_format != format_version) {
    return Status::Corruption("unsupported " + name + " format version " + std::to_string(found_format));
  }
  RC_ASSIGN_OR_RETURN(const std::uint32_t found_algorithm, reader.U32("algorithm version"));
  if (found_algorithm != algorithm_version) {
    return Status::Corruption(name + " was built with algorithm version " + std::to_string(found_algorithm) +
                              ", this build uses " + std::to_string(algorithm_version) +
                              ": rebuild the index");
  }
  return reader;
}

}  // namespace rightchain::fingerprint::detail
