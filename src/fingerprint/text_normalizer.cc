#include "fingerprint/text_normalizer.h"

#include <opencc/opencc.h>
#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <memory>

#include "base/assert.h"
#include "fingerprint/hashing.h"

namespace rightchain::fingerprint {
namespace {

// The Han blocks whose traditional forms OpenCC maps: CJK Extension A and the Unified
// Ideographs (U+3400..U+9FFF), and the Compatibility Ideographs (U+F900..U+FAFF).
constexpr char32_t kHanTableFirst = 0x3400;
constexpr char32_t kHanTableLast = 0xFAFF;

struct TraditionalToSimplified {
  std::vector<char32_t> simplified;  // indexed by code point - kHanTableFirst
  Status status;
};

bool InHanTable(char32_t code_point) {
  return (code_point >= 0x3400 && code_point <= 0x9FFF) || (code_point >= 0xF900 && code_point <= 0xFAFF);
}

void AppendUtf8(std::string& out, char32_t code_point) {
  char buffer[4];
  std::int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, 4, static_cast<UChar32>(code_point), error);
  RC_ASSERT(!error);
  out.append(buffer, static_cast<std::size_t>(length));
}

// Converting character by character (not phrase by phrase) keeps one output character per
// input character, so positions survive, and makes the mapping independent of context: the
// same traditional character always gives the same simplified one, in the work and the copy.
TraditionalToSimplified BuildTraditionalToSimplified() {
  TraditionalToSimplified table;
  table.simplified.resize(kHanTableLast - kHanTableFirst + 1);
  std::string input;
  input.reserve(table.simplified.size() * 4);
  for (char32_t code_point = kHanTableFirst; code_point <= kHanTableLast; ++code_point) {
    table.simplified[code_point - kHanTableFirst] = code_point;
    if (!InHanTable(code_point)) continue;
    AppendUtf8(input, code_point);
    input.push_back('\n');
  }
  opencc_t converter = opencc_open("t2s.json");
  if (converter == reinterpret_cast<opencc_t>(-1)) {
    table.status =
        Status::Unavailable("cannot load OpenCC's t2s.json (is the OpenCC data package installed?)");
    return table;
  }
  char* converted = opencc_convert_utf8(converter, input.data(), input.size());
  opencc_close(converter);
  if (converted == nullptr) {
    table.status = Status::Unavailable("OpenCC t2s conversion failed");
    return table;
  }
  std::string_view output(converted);
  std::size_t line_begin = 0;
  for (char32_t code_point = kHanTableFirst; code_point <= kHanTableLast; ++code_point) {
    if (!InHanTable(code_point)) continue;
    std::size_t line_end = output.find('\n', line_begin);
    if (line_end == std::string_view::npos) break;
    std::string_view line = output.substr(line_begin, line_end - line_begin);
    line_begin = line_end + 1;
    std::int32_t offset = 0;
    UChar32 simplified = 0;
    U8_NEXT(line.data(), offset, static_cast<std::int32_t>(line.size()), simplified);
    if (simplified >= 0 && static_cast<std::size_t>(offset) == line.size()) {
      table.simplified[code_point - kHanTableFirst] = static_cast<char32_t>(simplified);
    }
  }
  opencc_convert_utf8_free(converted);
  return table;
}

const TraditionalToSimplified& GetTraditionalToSimplified() {
  static const TraditionalToSimplified table = BuildTraditionalToSimplified();
  return table;
}

bool IsCjkCharacter(UChar32 code_point) {
  if (code_point < 0x0E00) return false;
  UErrorCode error = U_ZERO_ERROR;
  switch (uscript_getScript(code_point, &error)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_YI: return true;
    default: return false;
  }
}

bool IsWordCharacter(UChar32 code_point) {
  if (code_point < 0x80) {
    return (code_point >= 'a' && code_point <= 'z') || (code_point >= '0' && code_point <= '9') ||
           (code_point >= 'A' && code_point <= 'Z');
  }
  if (u_isalnum(code_point)) return true;
  const std::int8_t type = u_charType(code_point);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

std::uint64_t CjkTokenHash(char32_t code_point) {
  return detail::Mix64((0x43ull << 56) ^ code_point);
}

// Maps each byte of the normalised text back to the original byte range it came from.
class OffsetMap {
 public:
  Status Build(const icu::Edits& edits, std::size_t normalized_size) {
    identity_ = !edits.hasChanges();
    if (identity_) return Status::Ok();
    begin_.assign(normalized_size, 0);
    end_.assign(normalized_size, 0);
    UErrorCode error = U_ZERO_ERROR;
    icu::Edits::Iterator iterator = edits.getFineIterator();
    while (iterator.next(error)) {
      const std::uint32_t source = static_cast<std::uint32_t>(iterator.sourceIndex());
      const std::uint32_t destination = static_cast<std::uint32_t>(iterator.destinationIndex());
      const std::uint32_t old_length = static_cast<std::uint32_t>(iterator.oldLength());
      const std::uint32_t new_length = static_cast<std::uint32_t>(iterator.newLength());
      if (destination + new_length > normalized_size) return Status::Internal("ICU edit beyond output");
      for (std::uint32_t index = 0; index < new_length; ++index) {
        if (iterator.hasChange()) {
          begin_[destination + index] = source;
          end_[destination + index] = source + old_length;
        } else {
          begin_[destination + index] = source + index;
          end_[destination + index] = source + index + 1;
        }
      }
    }
    if (U_FAILURE(error)) return Status::Internal(std::string("ICU edits: ") + u_errorName(error));
    return Status::Ok();
  }
  std::uint32_t Begin(std::uint32_t normalized_offset) const {
    return identity_ ? normalized_offset : begin_[normalized_offset];
  }
  std::uint32_t End(std::uint32_t normalized_last_byte) const {
    return identity_ ? normalized_last_byte + 1 : end_[normalized_last_byte];
  }

 private:
  bool identity_ = true;
  std::vector<std::uint32_t> begin_;
  std::vector<std::uint32_t> end_;
};

}  // namespace

Status ValidateUtf8(std::string_view bytes) {
  const std::int32_t length = static_cast<std::int32_t>(bytes.size());
  if (bytes.size() > kMaxTextSizeBytes) {
    return Status::LimitExceeded("text is " + std::to_string(bytes.size()) +
                                 " bytes, more than the limit of " + std::to_string(kMaxTextSizeBytes));
  }
  std::int32_t offset = 0;
  while (offset < length) {
    if (static_cast<unsigned char>(bytes[offset]) < 0x80) {
      ++offset;
      continue;
    }
    const std::int32_t start = offset;
    UChar32 code_point = 0;
    U8_NEXT(bytes.data(), offset, length, code_point);
    if (code_point < 0) {
      return Status::InvalidArgument("text is not valid UTF-8: ill-formed sequence at byte offset " +
                                     std::to_string(start));
    }
  }
  return Status::Ok();
}

Result<NormalizedText> NormalizeText(std::string_view utf8, const NormalizeOptions& options) {
  RC_RETURN_IF_ERROR(ValidateUtf8(utf8));
  const TraditionalToSimplified& t2s = GetTraditionalToSimplified();
  RC_RETURN_IF_ERROR(t2s.status);

  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(error);
  if (U_FAILURE(error)) return Status::Unavailable(std::string("ICU NFKC_Casefold: ") + u_errorName(error));
  std::string normalized;
  normalized.reserve(utf8.size() + utf8.size() / 8);
  icu::StringByteSink<std::string> sink(&normalized);
  icu::Edits edits;
  normalizer->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())), sink,
                            &edits, error);
  if (U_FAILURE(error))
    return Status::InvalidArgument(std::string("normalising text: ") + u_errorName(error));
  if (normalized.size() > 4 * kMaxTextSizeBytes) return Status::LimitExceeded("normalised text too large");
  OffsetMap offsets;
  RC_RETURN_IF_ERROR(offsets.Build(edits, normalized.size()));

  NormalizedText result;
  result.source_size_bytes = static_cast<std::uint32_t>(utf8.size());
  result.tokens.reserve(utf8.size() / 3 + 1);

  const std::int32_t length = static_cast<std::int32_t>(normalized.size());
  std::int32_t offset = 0;
  bool in_word = false;
  TextToken word;
  std::uint64_t word_state = detail::kFnvOffsetBasis;
  std::string word_text;
  auto finish_word = [&] {
    if (!in_word) return;
    word.hash = detail::Mix64(word_state ^ (0x57ull << 56));
    result.tokens.push_back(word);
    if (options.keep_token_texts) result.token_texts.push_back(word_text);
    in_word = false;
  };
  while (offset < length) {
    const std::int32_t start = offset;
    UChar32 code_point = 0;
    U8_NEXT(normalized.data(), offset, length, code_point);
    if (code_point < 0) return Status::Internal("normaliser produced ill-formed UTF-8");
    const std::uint32_t original_begin = offsets.Begin(static_cast<std::uint32_t>(start));
    const std::uint32_t original_end = offsets.End(static_cast<std::uint32_t>(offset - 1));
    char32_t mapped = static_cast<char32_t>(code_point);
    if (mapped >= kHanTableFirst && mapped <= kHanTableLast) mapped = t2s.simplified[mapped - kHanTableFirst];
    if (IsCjkCharacter(static_cast<UChar32>(mapped))) {
      finish_word();
      TextToken token;
      token.hash = CjkTokenHash(mapped);
      token.byte_begin = original_begin;
      token.byte_end = original_end;
      token.kind = TokenKind::kCjkCharacter;
      result.tokens.push_back(token);
      if (options.keep_token_texts) {
        result.token_texts.emplace_back();
        AppendUtf8(result.token_texts.back(), mapped);
      }
    } else if (IsWordCharacter(static_cast<UChar32>(mapped))) {
      if (!in_word) {
        in_word = true;
        word = TextToken{};
        word.kind = TokenKind::kWord;
        word.byte_begin = original_begin;
        word_state = detail::kFnvOffsetBasis;
        word_text.clear();
      }
      word.byte_end = std::max(word.byte_end, original_end);
      word_state = (word_state ^ mapped) * detail::kFnvPrime;
      if (options.keep_token_texts) AppendUtf8(word_text, mapped);
    } else {
      finish_word();
    }
  }
  finish_word();
  return result;
}

}  // namespace rightchain::fingerprint
