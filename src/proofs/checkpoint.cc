#include "proofs/checkpoint.h"

#include <charconv>
#include <vector>

#include "base/assert.h"
#include "base/bytes.h"

namespace rightchain::proofs {
namespace {

constexpr std::size_t kMaxOriginSize = 64;
constexpr std::size_t kCheckpointLines = 5;
constexpr std::string_view kHeightPrefix = "height ";
constexpr std::string_view kBlockHashPrefix = "block-hash ";

bool IsOriginCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool IsValidOrigin(std::string_view origin) {
  if (origin.empty() || origin.size() > kMaxOriginSize) return false;
  for (const char c : origin) {
    if (!IsOriginCharacter(c)) return false;
  }
  return true;
}

Result<std::uint64_t> ParseCanonicalDecimal(std::string_view text, std::string_view field) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      (text.size() > 1 && text.front() == '0')) {
    return Status::InvalidArgument("checkpoint " + std::string(field) + " is not a canonical decimal");
  }
  return value;
}

Result<crypto::Digest> DigestFrom(const Result<Bytes>& bytes, std::string_view field) {
  if (!bytes.ok() || bytes->size() != crypto::kDigestSize) {
    return Status::InvalidArgument("checkpoint " + std::string(field) + " is not a 32-byte hash");
  }
  crypto::Digest digest;
  std::copy(bytes->begin(), bytes->end(), digest.begin());
  return digest;
}

}  // namespace

std::string CheckpointBody(const Checkpoint& checkpoint) {
  RC_ASSERT(IsValidOrigin(checkpoint.origin));
  return checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" + Base64Encode(checkpoint.root) +
         "\n" + std::string(kHeightPrefix) + std::to_string(checkpoint.height) + "\n" +
         std::string(kBlockHashPrefix) + HexEncode(checkpoint.block_hash) + "\n";
}

Result<Checkpoint> ParseCheckpointBody(std::string_view text) {
  if (text.size() > 1024 || text.empty() || text.back() != '\n') {
    return Status::InvalidArgument("a checkpoint is five lines, each ending in a newline");
  }
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() != kCheckpointLines) return Status::InvalidArgument("a checkpoint is exactly five lines");
  Checkpoint checkpoint;
  if (!IsValidOrigin(lines[0])) return Status::InvalidArgument("checkpoint origin is not a chain id");
  checkpoint.origin = std::string(lines[0]);
  RC_ASSIGN_OR_RETURN(checkpoint.size, ParseCanonicalDecimal(lines[1], "size"));
  RC_ASSIGN_OR_RETURN(checkpoint.root, DigestFrom(Base64Decode(lines[2]), "root"));
  if (Base64Encode(checkpoint.root) != lines[2])
    return Status::InvalidArgument("checkpoint root is not canonical base64");
  if (!lines[3].starts_with(kHeightPrefix))
    return Status::InvalidArgument("checkpoint line 4 is not 'height N'");
  RC_ASSIGN_OR_RETURN(checkpoint.height,
                      ParseCanonicalDecimal(lines[3].substr(kHeightPrefix.size()), "height"));
  if (!lines[4].starts_with(kBlockHashPrefix))
    return Status::InvalidArgument("checkpoint line 5 is not 'block-hash H'");
  const std::string_view block_hash = lines[4].substr(kBlockHashPrefix.size());
  RC_ASSIGN_OR_RETURN(checkpoint.block_hash, DigestFrom(HexDecode(block_hash), "block hash"));
  if (HexEncode(checkpoint.block_hash) != block_hash)
    return Status::InvalidArgument("checkpoint block hash is not lowercase hex");
  return checkpoint;
}

}  // namespace rightchain::proofs
