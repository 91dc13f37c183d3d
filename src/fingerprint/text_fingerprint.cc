#include "fingerprint/text_fingerprint.h"

#include <array>
#include <bit>

#include "base/assert.h"
#include "fingerprint/binary_io.h"
#include "fingerprint/hashing.h"

namespace rightchain::fingerprint {
namespace {

constexpr std::string_view kFingerprintMagic = "RCTF";
// A decoded fingerprint may not claim more entries than this (a 64 MiB text gives fewer).
constexpr std::uint32_t kMaxDecodedEntries = 1u << 24;

std::uint32_t TokenWeight(const TextToken& token) {
  return token.kind == TokenKind::kCjkCharacter ? kCjkTokenWeight : kWordTokenWeight;
}

struct Gram {
  std::uint64_t hash;
  std::uint32_t token_end;
  std::uint32_t weight;  // of the gram's first token, for the winnowing window
};

// Gram i covers tokens [i, end) where end is the first point at which the weights reach the
// threshold. Grams that would run past the text's end are not formed, except that a text too
// short for any gram gets one gram over all of it.
std::vector<Gram> ComputeGrams(const std::vector<TextToken>& tokens) {
  std::vector<Gram> grams;
  const std::size_t count = tokens.size();
  if (count == 0) return grams;
  grams.reserve(count);
  for (std::size_t begin = 0; begin < count; ++begin) {
    std::uint64_t state = 0x7265637463686169ull;
    std::uint32_t weight = 0;
    std::size_t end = begin;
    while (end < count && weight < kGramWeightThreshold) {
      state = detail::Mix64(state ^ tokens[end].hash);
      weight += TokenWeight(tokens[end]);
      ++end;
    }
    if (weight < kGramWeightThreshold && begin > 0) break;
    const std::uint32_t window_weight =
        tokens[begin].kind == TokenKind::kCjkCharacter ? kCjkWindowWeight : kWordWindowWeight;
    grams.push_back({state, static_cast<std::uint32_t>(end), window_weight});
    if (weight < kGramWeightThreshold) break;
  }
  return grams;
}

// Robust winnowing: in each window the minimum hash, the rightmost on ties; a position is
// recorded once even when it stays the minimum of several windows. A window is the shortest
// run of grams whose first tokens weigh kWinnowWindowWeight (or all grams, for short texts).
std::vector<std::uint32_t> Winnow(const std::vector<Gram>& grams) {
  std::vector<std::uint32_t> selected;
  const std::size_t count = grams.size();
  if (count == 0) return selected;
  selected.reserve(count / 4 + 2);
  std::size_t window_end = 0;  // exclusive
  std::uint32_t window_weight = 0;
  for (std::size_t window_begin = 0; window_begin < count; ++window_begin) {
    while (window_end < count && window_weight < kWinnowWindowWeight)
      window_weight += grams[window_end++].weight;
    if (window_weight < kWinnowWindowWeight && window_begin > 0) break;  // the last full window was done
    std::size_t minimum = window_begin;
    for (std::size_t index = window_begin + 1; index < window_end; ++index) {
      if (grams[index].hash <= grams[minimum].hash) minimum = index;
    }
    if (selected.empty() || selected.back() != minimum) {
      // Minima of successive windows move forward, except a rightmost tie may be revisited.
      if (selected.empty() || minimum > selected.back())
        selected.push_back(static_cast<std::uint32_t>(minimum));
    }
    window_weight -= grams[window_begin].weight;
    if (window_end == count && window_weight < kWinnowWindowWeight) break;
  }
  return selected;
}

std::uint64_t SimHash(const std::vector<Gram>& grams) {
  std::array<std::int32_t, 64> votes{};
  for (const Gram& gram : grams) {
    std::uint64_t bits = gram.hash;
    for (int bit = 0; bit < 64; ++bit) votes[bit] += static_cast<std::int32_t>((bits >> bit) & 1) * 2 - 1;
  }
  std::uint64_t result = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (votes[bit] > 0) result |= 1ull << bit;
  }
  return result;
}

}  // namespace

TextFingerprint FingerprintTokens(const NormalizedText& text, GramSelection selection) {
  TextFingerprint fingerprint;
  fingerprint.token_count = static_cast<std::uint32_t>(text.tokens.size());
  fingerprint.source_size_bytes = text.source_size_bytes;
  const std::vector<Gram> grams = ComputeGrams(text.tokens);
  fingerprint.simhash = SimHash(grams);
  std::vector<std::uint32_t> selected;
  if (selection == GramSelection::kWinnowed) {
    selected = Winnow(grams);
  } else {
    selected.resize(grams.size());
    for (std::uint32_t index = 0; index < grams.size(); ++index) selected[index] = index;
  }
  fingerprint.entries.reserve(selected.size());
  for (std::uint32_t position : selected) {
    const Gram& gram = grams[position];
    RC_ASSERT(gram.token_end > position && gram.token_end <= text.tokens.size());
    fingerprint.entries.push_back({gram.hash, position, gram.token_end, text.tokens[position].byte_begin,
                                   text.tokens[gram.token_end - 1].byte_end});
  }
  return fingerprint;
}

Result<TextFingerprint> FingerprintText(std::string_view utf8) {
  RC_ASSIGN_OR_RETURN(NormalizedText normalized, NormalizeText(utf8));
  return FingerprintTokens(normalized);
}

Result<TextFingerprint> FingerprintQueryText(std::string_view utf8) {
  RC_ASSIGN_OR_RETURN(NormalizedText normalized, NormalizeText(utf8));
  return FingerprintTokens(normalized, GramSelection::kAll);
}

int SimHashDistance(std::uint64_t a, std::uint64_t b) {
  return std::popcount(a ^ b);
}

void EncodeEntries(const std::vector<TextFingerprintEntry>& entries, std::uint8_t* out) {
  for (const TextFingerprintEntry& entry : entries) {
    detail::Store64(out, entry.hash);
    detail::Store32(out + 8, entry.token_begin);
    detail::Store32(out + 12, entry.token_end);
    detail::Store32(out + 16, entry.byte_begin);
    detail::Store32(out + 20, entry.byte_end);
    out += kEncodedEntrySizeBytes;
  }
}

Status DecodeEntries(const std::uint8_t* bytes, std::uint32_t count, const TextFingerprint& bounds,
                     std::vector<TextFingerprintEntry>& out) {
  out.resize(count);
  for (std::uint32_t index = 0; index < count; ++index, bytes += kEncodedEntrySizeBytes) {
    TextFingerprintEntry& entry = out[index];
    entry.hash = detail::Load64(bytes);
    entry.token_begin = detail::Load32(bytes + 8);
    entry.token_end = detail::Load32(bytes + 12);
    entry.byte_begin = detail::Load32(bytes + 16);
    entry.byte_end = detail::Load32(bytes + 20);
    if (entry.token_begin >= entry.token_end || entry.token_end > bounds.token_count ||
        entry.byte_begin >= entry.byte_end || entry.byte_end > bounds.source_size_bytes ||
        (index > 0 && entry.token_begin <= out[index - 1].token_begin)) {
      return Status::Corruption("fingerprint entry " + std::to_string(index) + " has an inconsistent range");
    }
  }
  return Status::Ok();
}

Bytes EncodeTextFingerprint(const TextFingerprint& fingerprint) {
  detail::ByteWriter writer;
  writer.Reserve(32 + fingerprint.entries.size() * kEncodedEntrySizeBytes);
  writer.Raw(kFingerprintMagic);
  writer.U32(kTextAlgorithmVersion);
  writer.U32(fingerprint.token_count);
  writer.U32(fingerprint.source_size_bytes);
  writer.U64(fingerprint.simhash);
  writer.U32(static_cast<std::uint32_t>(fingerprint.entries.size()));
  EncodeEntries(fingerprint.entries, writer.Extend(fingerprint.entries.size() * kEncodedEntrySizeBytes));
  return std::move(writer.bytes());
}

Result<TextFingerprint> DecodeTextFingerprint(ByteView bytes) {
  detail::ByteReader reader(bytes);
  RC_ASSIGN_OR_RETURN(std::string_view magic, reader.Raw(kFingerprintMagic.size(), "magic"));
  if (magic != kFingerprintMagic) return Status::Corruption("not a text fingerprint (bad magic)");
  RC_ASSIGN_OR_RETURN(std::uint32_t version, reader.U32("version"));
  if (version != kTextAlgorithmVersion) {
    return Status::Corruption("unsupported text fingerprint version " + std::to_string(version));
  }
  TextFingerprint fingerprint;
  RC_ASSIGN_OR_RETURN(fingerprint.token_count, reader.U32("token count"));
  RC_ASSIGN_OR_RETURN(fingerprint.source_size_bytes, reader.U32("source size"));
  RC_ASSIGN_OR_RETURN(fingerprint.simhash, reader.U64("simhash"));
  RC_ASSIGN_OR_RETURN(std::uint32_t entry_count, reader.U32("entry count"));
  if (entry_count > kMaxDecodedEntries || entry_count > fingerprint.token_count) {
    return Status::Corruption("implausible entry count " + std::to_string(entry_count));
  }
  RC_ASSIGN_OR_RETURN(const std::uint8_t* entry_bytes,
                      reader.Take(std::size_t{entry_count} * kEncodedEntrySizeBytes, "entries"));
  RC_RETURN_IF_ERROR(DecodeEntries(entry_bytes, entry_count, fingerprint, fingerprint.entries));
  if (reader.remaining() != 0) return Status::Corruption("trailing bytes after text fingerprint");
  return fingerprint;
}

}  // namespace rightchain::fingerprint
