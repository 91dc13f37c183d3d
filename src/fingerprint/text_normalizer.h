// Text normalisation for fingerprinting: UTF-8 in, a stream of tokens out.
//
// Steps: strict UTF-8 validation; Unicode NFKC with case folding (ICU "nfkc_cf", which also
// turns full-width forms into half-width ones); traditional to simplified Chinese, character by
// character, from OpenCC's t2s tables; then tokenisation: each CJK (Han, kana, Hangul, Thai...)
// character is one token, each run of other letters and digits is one word token, and
// punctuation, symbols and whitespace only separate tokens. Every token keeps the byte range it
// came from in the original text, so matched passages can be reported in the original.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rightchain::fingerprint {

// Texts longer than this are refused (byte offsets are 32-bit, and a work is not a library).
inline constexpr std::size_t kMaxTextSizeBytes = 64u * 1024 * 1024;

enum class TokenKind : std::uint8_t {
  kCjkCharacter = 1,  // one character of a script written without spaces
  kWord = 2,          // a run of letters, digits and combining marks
};

struct TextToken {
  std::uint64_t hash = 0;        // deterministic 64-bit hash of the normalised token
  std::uint32_t byte_begin = 0;  // range in the original UTF-8 text
  std::uint32_t byte_end = 0;
  TokenKind kind = TokenKind::kWord;
};

struct NormalizedText {
  std::vector<TextToken> tokens;
  std::uint32_t source_size_bytes = 0;
  // The normalised token texts, only when asked for (tests and debugging).
  std::vector<std::string> token_texts;
};

struct NormalizeOptions {
  bool keep_token_texts = false;
};

// Fails with kInvalidArgument (and the byte offset) on ill-formed UTF-8, with kLimitExceeded
// above kMaxTextSizeBytes, and with kUnavailable when OpenCC's tables cannot be loaded.
Result<NormalizedText> NormalizeText(std::string_view utf8, const NormalizeOptions& options = {});

// Returns OK when `bytes` is well-formed UTF-8 (no overlongs, surrogates or values above
// U+10FFFF), else kInvalidArgument naming the offset of the first bad byte.
Status ValidateUtf8(std::string_view bytes);

}  // namespace rightchain::fingerprint
