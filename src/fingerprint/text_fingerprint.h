// Text fingerprints: weighted k-grams over normalised tokens, winnowed (Schleimer, Wilkerson,
// Aiken 2003), plus a 64-bit SimHash of the whole document (Charikar 2002; Manku et al. 2007).
//
// A k-gram starts at every token and takes tokens until their weights reach
// kGramWeightThreshold: CJK characters weigh 2 and words 3, so a gram is 8 CJK characters or
// 5 Latin words, and mixed text needs no per-document choice of k. Winnowing keeps the
// minimum gram hash of every window of grams whose first tokens weigh kWinnowWindowWeight
// in window weights (CJK characters 2, words 4: windows of 12 CJK grams or 6 word grams, as
// words carry more text), so any passage shared by two texts of at least window + k - 1
// tokens (19 CJK characters, 10 words) yields at least one shared fingerprint.
//
// Registered works keep only the winnowed grams; a query may keep all of its grams
// (FingerprintQueryText), which finds every registered fingerprint the query contains even
// where edits change which gram wins a window.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/text_normalizer.h"

namespace rightchain::fingerprint {

// Version 1 of the text algorithm. Changing any constant below changes every fingerprint:
// bump the version and its name.
inline constexpr std::string_view kTextAlgorithmName = "rightchain-text-winnow-v1";
inline constexpr std::uint32_t kTextAlgorithmVersion = 1;
inline constexpr std::uint32_t kCjkTokenWeight = 2;
inline constexpr std::uint32_t kWordTokenWeight = 3;
inline constexpr std::uint32_t kGramWeightThreshold = 15;
inline constexpr std::uint32_t kCjkWindowWeight = 2;
inline constexpr std::uint32_t kWordWindowWeight = 4;
inline constexpr std::uint32_t kWinnowWindowWeight = 24;

// One selected k-gram: its hash, its token range and the byte range in the original text.
struct TextFingerprintEntry {
  std::uint64_t hash = 0;
  std::uint32_t token_begin = 0;
  std::uint32_t token_end = 0;
  std::uint32_t byte_begin = 0;
  std::uint32_t byte_end = 0;

  friend bool operator==(const TextFingerprintEntry&, const TextFingerprintEntry&) = default;
};

struct TextFingerprint {
  std::vector<TextFingerprintEntry> entries;  // in text order, at most one per gram position
  std::uint64_t simhash = 0;
  std::uint32_t token_count = 0;
  std::uint32_t source_size_bytes = 0;

  friend bool operator==(const TextFingerprint&, const TextFingerprint&) = default;
};

enum class GramSelection : std::uint8_t {
  kWinnowed,  // for registered works and stored fingerprints
  kAll,       // for queries: every gram, 3.5 to 6.5 times as many entries
};

// Normalises and fingerprints UTF-8 text. Errors as NormalizeText.
Result<TextFingerprint> FingerprintText(std::string_view utf8);
// The same with every gram kept: what TextIndex::Match wants as its query.
Result<TextFingerprint> FingerprintQueryText(std::string_view utf8);
// Fingerprints already normalised tokens.
TextFingerprint FingerprintTokens(const NormalizedText& text,
                                  GramSelection selection = GramSelection::kWinnowed);

// Hamming distance of two SimHashes; near-duplicates are within 3 bits of 64.
int SimHashDistance(std::uint64_t a, std::uint64_t b);

// The fingerprint's portable bytes: "RCTF", version, counts, SimHash, entries; little-endian.
Bytes EncodeTextFingerprint(const TextFingerprint& fingerprint);
// Bounds-checked: any truncation, bad magic or version, or inconsistent range is kCorruption.
Result<TextFingerprint> DecodeTextFingerprint(ByteView bytes);

// The 24-byte little-endian form of fingerprint entries, shared by the fingerprint bytes and
// the index file. Decoding checks every range against the fingerprint's counts and order.
inline constexpr std::size_t kEncodedEntrySizeBytes = 24;
void EncodeEntries(const std::vector<TextFingerprintEntry>& entries, std::uint8_t* out);
Status DecodeEntries(const std::uint8_t* bytes, std::uint32_t count, const TextFingerprint& bounds,
                     std::vector<TextFingerprintEntry>& out);

}  // namespace rightchain::fingerprint
