// Copy transformations for measuring text fingerprint recall: what a copier does to a work.
// All randomness comes from a seeded SplitMix64 stream, so a seed gives the same queries on
// every machine (no std:: distributions, whose output differs between standard libraries).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rightchain::fingerprint::testing {

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next();
  // Uniform in [0, bound); bound > 0.
  std::uint64_t Below(std::uint64_t bound);
  // Uniform in [low, high].
  double Between(double low, double high);
  bool Chance(double probability) { return Between(0, 1) < probability; }

 private:
  std::uint64_t state_;
};

enum class Transformation : std::uint8_t {
  kFormatting,            // line re-wrapping, spacing, punctuation style, letter case
  kWidthAndScript,        // full-width ASCII and simplified -> traditional Chinese (OpenCC s2t)
  kExcerpt,               // a verbatim excerpt of 10-100% of the text
  kExcerpt200Characters,  // a verbatim excerpt of exactly 200 characters
  kSentenceReorder,       // sentences shuffled
  kSentencesChanged,      // 10-30% of sentences deleted and as many unrelated ones inserted
  kSubstitution,          // up to 10% of characters (CJK) or words (Latin) substituted
  kAdvertisements,        // advertisement lines inserted between sentences
  kEmbedded,              // a copied passage (20-40%) inside an unrelated longer article
};
inline constexpr Transformation kAllTransformations[] = {
    Transformation::kFormatting,      Transformation::kWidthAndScript,
    Transformation::kExcerpt,         Transformation::kExcerpt200Characters,
    Transformation::kSentenceReorder, Transformation::kSentencesChanged,
    Transformation::kSubstitution,    Transformation::kAdvertisements,
    Transformation::kEmbedded};

std::string_view TransformationName(Transformation transformation);

// Text the transformations may draw on that is not in the index (inserted sentences,
// substitute characters and words, host articles for embedding).
struct Filler {
  std::vector<std::string> articles;
};

// Applies `transformation` to `original`. kUnavailable when OpenCC's s2t is missing.
Result<std::string> Transform(Transformation transformation, std::string_view original, const Filler& filler,
                              Random& random);

// Sentences of a text, each keeping its terminator (。！？；.!?; or a line end).
std::vector<std::string> SplitSentences(std::string_view text);

}  // namespace rightchain::fingerprint::testing
