#include "fingerprint/text_normalizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rightchain::fingerprint {
namespace {

std::vector<std::string> Tokens(std::string_view text) {
  Result<NormalizedText> normalized = NormalizeText(text, {.keep_token_texts = true});
  EXPECT_TRUE(normalized.ok()) << normalized.status().ToString();
  return normalized.ok() ? normalized->token_texts : std::vector<std::string>{};
}

std::vector<std::uint64_t> Hashes(std::string_view text) {
  Result<NormalizedText> normalized = NormalizeText(text);
  EXPECT_TRUE(normalized.ok()) << normalized.status().ToString();
  std::vector<std::uint64_t> hashes;
  if (normalized.ok()) {
    for (const TextToken& token : normalized->tokens) hashes.push_back(token.hash);
  }
  return hashes;
}

TEST(TextNormalizerTest, SplitsCjkIntoCharactersAndLatinIntoWords) {
  EXPECT_THAT(Tokens("版权登记 uses Block-Chain 2.0!"),
              testing::ElementsAre("版", "权", "登", "记", "uses", "block", "chain", "2", "0"));
}

TEST(TextNormalizerTest, FoldsCaseAndFullWidthForms) {
  EXPECT_EQ(Hashes("ＲｉｇｈｔＣｈａｉｎ　ＡＢＣ１２３"), Hashes("rightchain abc123"));
  EXPECT_EQ(Hashes("STRASSE"), Hashes("straße"));
}

TEST(TextNormalizerTest, MapsTraditionalToSimplified) {
  EXPECT_THAT(Tokens("著作權登記與電腦軟體"),
              testing::ElementsAre("著", "作", "权", "登", "记", "与", "电", "脑", "软", "体"));
  EXPECT_EQ(Hashes("數據庫的學習"), Hashes("数据库的学习"));
}

TEST(TextNormalizerTest, PunctuationAndWhitespaceOnlySeparate) {
  EXPECT_EQ(Hashes("你好，世界。\n  Hello,   world!"), Hashes("你好世界 hello world"));
  EXPECT_NE(Hashes("hello world"), Hashes("helloworld"));
}

TEST(TextNormalizerTest, TokensPointBackToOriginalBytes) {
  const std::string text = "Ａｂ 中文\u00ADx";  // full-width letters, CJK, a soft hyphen NFKC removes
  Result<NormalizedText> normalized = NormalizeText(text, {.keep_token_texts = true});
  ASSERT_TRUE(normalized.ok());
  ASSERT_EQ(normalized->tokens.size(), 4u);
  auto original = [&](std::size_t index) {
    const TextToken& token = normalized->tokens[index];
    return text.substr(token.byte_begin, token.byte_end - token.byte_begin);
  };
  EXPECT_EQ(original(0), "Ａｂ");
  EXPECT_EQ(normalized->token_texts[0], "ab");
  EXPECT_EQ(original(1), "中");
  EXPECT_EQ(original(2), "文");
  EXPECT_EQ(original(3), "x");
}

TEST(TextNormalizerTest, RejectsIllFormedUtf8WithOffset) {
  for (std::string_view bad : {std::string_view("ok\xff", 3), std::string_view("ab\xc0\xaf", 4),
                               std::string_view("x\xed\xa0\x80", 4), std::string_view("\xe4\xb8", 2)}) {
    Result<NormalizedText> normalized = NormalizeText(bad);
    ASSERT_FALSE(normalized.ok());
    EXPECT_EQ(normalized.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(normalized.status().message(), testing::HasSubstr("not valid UTF-8"));
  }
  Status status = ValidateUtf8(std::string_view("abc\xff", 4));
  EXPECT_THAT(status.message(), testing::HasSubstr("byte offset 3"));
}

TEST(TextNormalizerTest, EmptyAndSymbolOnlyTextsHaveNoTokens) {
  EXPECT_TRUE(Tokens("").empty());
  EXPECT_TRUE(Tokens("  ，。!?-- \n\t").empty());
}

}  // namespace
}  // namespace rightchain::fingerprint
