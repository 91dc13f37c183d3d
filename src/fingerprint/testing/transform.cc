#include "fingerprint/testing/transform.h"

#include <opencc/opencc.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <mutex>

#include "base/assert.h"
#include "fingerprint/hashing.h"

namespace rightchain::fingerprint::testing {
namespace {

std::u32string Decode(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  std::int32_t offset = 0;
  const std::int32_t length = static_cast<std::int32_t>(utf8.size());
  while (offset < length) {
    UChar32 code_point = 0;
    U8_NEXT(utf8.data(), offset, length, code_point);
    out.push_back(code_point < 0 ? 0xFFFD : static_cast<char32_t>(code_point));
  }
  return out;
}

std::string Encode(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t code_point : text) {
    char buffer[4];
    std::int32_t length = 0;
    UBool error = false;
    U8_APPEND(buffer, length, 4, static_cast<UChar32>(code_point), error);
    if (!error) out.append(buffer, static_cast<std::size_t>(length));
  }
  return out;
}

bool IsCjk(char32_t c) {
  return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
}
bool IsLatinWordCharacter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'';
}
bool IsSentenceEnd(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == '!' || c == '?' || c == ';' ||
         c == '\n';
}

Result<std::string> SimplifiedToTraditional(std::string_view text) {
  static std::mutex mutex;
  static opencc_t converter = opencc_open("s2t.json");
  if (converter == reinterpret_cast<opencc_t>(-1))
    return Status::Unavailable("cannot load OpenCC's s2t.json");
  std::lock_guard lock(mutex);
  char* converted = opencc_convert_utf8(converter, text.data(), text.size());
  if (converted == nullptr) return Status::Unavailable("OpenCC s2t conversion failed");
  std::string out(converted);
  opencc_convert_utf8_free(converted);
  return out;
}

const std::string& PickArticle(const Filler& filler, Random& random) {
  RC_ASSERT(!filler.articles.empty());
  return filler.articles[random.Below(filler.articles.size())];
}

std::vector<std::string> FillerSentences(const Filler& filler, Random& random, std::size_t count) {
  std::vector<std::string> out;
  for (int attempt = 0; out.size() < count && attempt < 64; ++attempt) {
    std::vector<std::string> sentences = SplitSentences(PickArticle(filler, random));
    for (std::size_t index = 0; index < sentences.size() && out.size() < count; ++index) {
      if (sentences[index].size() > 6) out.push_back(sentences[random.Below(sentences.size())]);
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

std::string Excerpt(std::string_view text, double fraction, Random& random) {
  const std::u32string characters = Decode(text);
  const std::size_t length = std::max<std::size_t>(1, static_cast<std::size_t>(characters.size() * fraction));
  const std::size_t start = characters.size() > length ? random.Below(characters.size() - length + 1) : 0;
  return Encode(std::u32string_view(characters).substr(start, length));
}

std::string Formatting(std::string_view text, Random& random) {
  std::u32string out;
  const std::size_t wrap = 30 + random.Below(50);
  std::size_t column = 0;
  for (char32_t c : Decode(text)) {
    if (c == '\n') c = ' ';
    if (c == U'，' && random.Chance(0.5))
      c = ',';
    else if (c == U'。' && random.Chance(0.5))
      c = '.';
    else if (c == U'：')
      c = ':';
    else if (c == '"')
      c = U'“';
    else if (c >= 'a' && c <= 'z' && random.Chance(0.05))
      c = c - 'a' + 'A';
    if (c == ' ') {
      if (random.Chance(0.3))
        out += U"  ";
      else
        out.push_back(' ');
    } else {
      out.push_back(c);
    }
    if (++column >= wrap && (c == ' ' || IsCjk(c))) {
      out += random.Chance(0.5) ? U"\n" : U"\r\n    ";
      column = 0;
    }
  }
  return Encode(out);
}

Result<std::string> WidthAndScript(std::string_view text) {
  RC_ASSIGN_OR_RETURN(std::string traditional, SimplifiedToTraditional(text));
  std::u32string out;
  for (char32_t c : Decode(traditional)) {
    if (c >= 0x21 && c <= 0x7E)
      c += 0xFEE0;  // full-width forms
    else if (c == ' ')
      c = 0x3000;
    out.push_back(c);
  }
  return Encode(out);
}

std::string Reorder(std::string_view text, Random& random) {
  std::vector<std::string> sentences = SplitSentences(text);
  for (std::size_t index = sentences.size(); index > 1; --index) {
    std::swap(sentences[index - 1], sentences[random.Below(index)]);
  }
  return Join(sentences);
}

std::string SentencesChanged(std::string_view text, const Filler& filler, Random& random) {
  std::vector<std::string> sentences = SplitSentences(text);
  const double fraction = random.Between(0.10, 0.30);
  const std::size_t changes =
      std::max<std::size_t>(1, static_cast<std::size_t>(sentences.size() * fraction / 2));
  for (std::size_t deleted = 0; deleted < changes && sentences.size() > 1; ++deleted) {
    sentences.erase(sentences.begin() + static_cast<std::ptrdiff_t>(random.Below(sentences.size())));
  }
  for (std::string& inserted : FillerSentences(filler, random, changes)) {
    sentences.insert(sentences.begin() + static_cast<std::ptrdiff_t>(random.Below(sentences.size() + 1)),
                     std::move(inserted));
  }
  return Join(sentences);
}

std::string Substitution(std::string_view text, const Filler& filler, Random& random) {
  const double rate = random.Between(0.05, 0.10);
  std::u32string characters = Decode(text);
  const std::u32string source = Decode(PickArticle(filler, random));
  std::vector<char32_t> cjk_pool;
  std::vector<std::u32string> word_pool;
  for (std::size_t index = 0; index < source.size(); ++index) {
    if (IsCjk(source[index])) cjk_pool.push_back(source[index]);
    if (IsLatinWordCharacter(source[index]) && (index == 0 || !IsLatinWordCharacter(source[index - 1]))) {
      std::size_t end = index;
      while (end < source.size() && IsLatinWordCharacter(source[end])) ++end;
      word_pool.push_back(source.substr(index, end - index));
    }
  }
  if (cjk_pool.empty()) cjk_pool = {U'的', U'是', U'了'};
  if (word_pool.empty()) word_pool = {U"the", U"data", U"system"};
  std::u32string out;
  out.reserve(characters.size());
  for (std::size_t index = 0; index < characters.size();) {
    const char32_t c = characters[index];
    if (IsCjk(c)) {
      out.push_back(random.Chance(rate) ? cjk_pool[random.Below(cjk_pool.size())] : c);
      ++index;
    } else if (IsLatinWordCharacter(c)) {
      std::size_t end = index;
      while (end < characters.size() && IsLatinWordCharacter(characters[end])) ++end;
      if (random.Chance(rate)) {
        out += word_pool[random.Below(word_pool.size())];
      } else {
        out.append(characters, index, end - index);
      }
      index = end;
    } else {
      out.push_back(c);
      ++index;
    }
  }
  return Encode(out);
}

constexpr std::string_view kAdvertisements[] = {
    "【广告】限时特惠！扫码关注公众号，领取新人大礼包，前一百名还送会员。\n",
    "本文转载自网络，如有侵权请联系删除。更多精彩内容请关注我们的官方微博。\n",
    "点击下方链接立即下载手机客户端，海量小说免费看，每日签到领金币！\n",
    "SPONSORED: Get 50% off premium hosting today - use code SAVE50 at checkout!\n",
    "Subscribe to our newsletter for the latest tips, deals and exclusive offers.\n",
    "Advertisement - Click here to win a free phone! Limited time only, act now.\n",
};

std::string Advertisements(std::string_view text, Random& random) {
  std::vector<std::string> sentences = SplitSentences(text);
  const std::size_t count = 2 + random.Below(3);
  for (std::size_t index = 0; index < count; ++index) {
    const std::string_view advertisement = kAdvertisements[random.Below(std::size(kAdvertisements))];
    sentences.insert(sentences.begin() + static_cast<std::ptrdiff_t>(random.Below(sentences.size() + 1)),
                     std::string(advertisement));
  }
  return Join(sentences);
}

std::string Embedded(std::string_view text, const Filler& filler, Random& random) {
  const std::string passage = Excerpt(text, random.Between(0.2, 0.4), random);
  std::string host = PickArticle(filler, random) + "\n" + PickArticle(filler, random);
  std::vector<std::string> sentences = SplitSentences(host);
  sentences.insert(sentences.begin() + static_cast<std::ptrdiff_t>(random.Below(sentences.size() + 1)),
                   "\n" + passage + "\n");
  return Join(sentences);
}

}  // namespace

std::uint64_t Random::Next() {
  state_ += 0x9e3779b97f4a7c15ull;
  return detail::Mix64(state_);
}

std::uint64_t Random::Below(std::uint64_t bound) {
  RC_ASSERT(bound > 0);
  return Next() % bound;  // the bias (below 2^-40 for our bounds) does not matter here
}

double Random::Between(double low, double high) {
  return low + (high - low) * static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

std::string_view TransformationName(Transformation transformation) {
  switch (transformation) {
    case Transformation::kFormatting: return "formatting";
    case Transformation::kWidthAndScript: return "width_and_traditional";
    case Transformation::kExcerpt: return "excerpt_10_100pct";
    case Transformation::kExcerpt200Characters: return "excerpt_200_chars";
    case Transformation::kSentenceReorder: return "sentence_reorder";
    case Transformation::kSentencesChanged: return "sentences_changed_10_30pct";
    case Transformation::kSubstitution: return "substitution_5_10pct";
    case Transformation::kAdvertisements: return "advertisements";
    case Transformation::kEmbedded: return "embedded_passage";
  }
  return "unknown";
}

std::vector<std::string> SplitSentences(std::string_view text) {
  const std::u32string characters = Decode(text);
  std::vector<std::string> sentences;
  std::size_t begin = 0;
  for (std::size_t index = 0; index < characters.size(); ++index) {
    const char32_t c = characters[index];
    const bool latin_full_stop = c == '.' && (index + 1 == characters.size() ||
                                              characters[index + 1] == ' ' || characters[index + 1] == '\n');
    if (IsSentenceEnd(c) || latin_full_stop) {
      sentences.push_back(Encode(std::u32string_view(characters).substr(begin, index + 1 - begin)));
      begin = index + 1;
    }
  }
  if (begin < characters.size()) sentences.push_back(Encode(std::u32string_view(characters).substr(begin)));
  return sentences;
}

Result<std::string> Transform(Transformation transformation, std::string_view original, const Filler& filler,
                              Random& random) {
  switch (transformation) {
    case Transformation::kFormatting: return Formatting(original, random);
    case Transformation::kWidthAndScript: return WidthAndScript(original);
    case Transformation::kExcerpt: return Excerpt(original, random.Between(0.10, 1.0), random);
    case Transformation::kExcerpt200Characters: {
      const std::size_t characters = Decode(original).size();
      return Excerpt(original, characters <= 200 ? 1.0 : 200.0 / characters + 1e-9, random);
    }
    case Transformation::kSentenceReorder: return Reorder(original, random);
    case Transformation::kSentencesChanged: return SentencesChanged(original, filler, random);
    case Transformation::kSubstitution: return Substitution(original, filler, random);
    case Transformation::kAdvertisements: return Advertisements(original, random);
    case Transformation::kEmbedded: return Embedded(original, filler, random);
  }
  RC_UNREACHABLE();
}

}  // namespace rightchain::fingerprint::testing
