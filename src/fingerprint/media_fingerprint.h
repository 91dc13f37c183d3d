// The module's front door: fingerprint a file or bytes of any supported kind.
// `rightchain fingerprint FILE` prints kind, algorithm and the fingerprint bytes from here;
// `rightchain index add/remove` and `rightchain match` go through TextIndex.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/text_fingerprint.h"

namespace rightchain::fingerprint {

// Files larger than this are refused before reading.
inline constexpr std::uintmax_t kMaxInputFileSizeBytes = kMaxTextSizeBytes;

enum class MediaKind : std::uint8_t {
  kText = 1,
};

std::string_view MediaKindName(MediaKind kind);  // "text"

struct MediaFingerprint {
  MediaKind kind = MediaKind::kText;
  std::string_view algorithm;  // e.g. kTextAlgorithmName
  Bytes fingerprint;           // EncodeTextFingerprint(text)
  TextFingerprint text;        // the decoded form, for indexing and matching
};

// Recognises the kind from the content: UTF-8 text (an optional UTF-8 byte-order mark is
// skipped). Images, UTF-16 and other binary data are refused with kInvalidArgument saying
// what was seen; ill-formed UTF-8 with the offset of the first bad byte.
Result<MediaFingerprint> FingerprintBytes(ByteView content);
Result<MediaFingerprint> FingerprintFile(const std::filesystem::path& path);

// The query form for TextIndex::Match (every gram kept), with the same checks and errors.
Result<TextFingerprint> FingerprintQueryBytes(ByteView content);
Result<TextFingerprint> FingerprintQueryFile(const std::filesystem::path& path);

// Reads a whole file, refusing ones larger than `max_size_bytes` (kIoError, kLimitExceeded).
Result<Bytes> ReadFileBytes(const std::filesystem::path& path, std::uintmax_t max_size_bytes);

}  // namespace rightchain::fingerprint
