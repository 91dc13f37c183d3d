// The common frame of the fingerprint engine's index files (text, image, audio): a body that
// starts with a magic string, a u32 format version and a u32 algorithm version, followed by the
// CRC-32 (zlib) of the body as the last 4 bytes, little-endian like the rest of the file.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "fingerprint/binary_io.h"

namespace rightchain::fingerprint::detail {

std::uint32_t Crc32(ByteView bytes);

// Checks the checksum (when `verify_checksum`), the magic and both versions, naming the index
// (`what`, e.g. "image index") in every message; returns a reader of the body positioned after
// the versions.
Result<ByteReader> OpenIndexFile(ByteView file, std::string_view what, std::string_view magic,
                                 std::uint32_t format_version, std::uint32_t algorithm_version,
                                 bool verify_checksum);

}  // namespace rightchain::fingerprint::detail
