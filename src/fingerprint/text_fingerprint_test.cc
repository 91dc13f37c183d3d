#include "fingerprint/text_fingerprint.h"

#include <gtest/gtest.h>

#include <set>

namespace rightchain::fingerprint {
namespace {

std::string LongChineseText() {
  std::string text;
  const char* sentences[] = {"区块链为版权登记提供了不可篡改的时间戳。",
                             "监测系统需要在作品被复制和修改之后仍然识别出来。",
                             "作者可以把作品的指纹登记在联盟链上。", "法院认可经过技术核验的电子数据。",
                             "每一段被抄袭的文字都应当被找出并报告。"};
  const char* rounds[] = {"一", "二", "三", "四", "五", "六"};
  for (const char* round : rounds) {
    for (const char* sentence : sentences) text += std::string(sentence) + "第" + round + "轮。";
  }
  return text;
}

std::set<std::uint64_t> HashSet(const TextFingerprint& fingerprint) {
  std::set<std::uint64_t> hashes;
  for (const auto& entry : fingerprint.entries) hashes.insert(entry.hash);
  return hashes;
}

TEST(TextFingerprintTest, IsDeterministic) {
  // Pinned: these values must be identical on every machine and build; if the algorithm
  // changes on purpose, bump kTextAlgorithmVersion and update them.
  Result<TextFingerprint> fingerprint =
      FingerprintText("The quick brown fox jumps over the lazy dog again and again");
  ASSERT_TRUE(fingerprint.ok());
  Result<TextFingerprint> again =
      FingerprintText("The quick brown fox jumps over the lazy dog again and again");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*fingerprint, *again);
  EXPECT_EQ(fingerprint->token_count, 12u);
  ASSERT_EQ(fingerprint->entries.size(), 1u);
  EXPECT_EQ(fingerprint->entries[0].hash, 5290578166263919308ull);
  EXPECT_EQ(fingerprint->simhash, 10404045307028997128ull);
}

TEST(TextFingerprintTest, EntriesPointIntoTheOriginal) {
  const std::string text = LongChineseText();
  Result<TextFingerprint> fingerprint = FingerprintText(text);
  ASSERT_TRUE(fingerprint.ok());
  ASSERT_GT(fingerprint->entries.size(), 10u);
  std::uint32_t previous = 0;
  for (std::size_t index = 0; index < fingerprint->entries.size(); ++index) {
    const TextFingerprintEntry& entry = fingerprint->entries[index];
    if (index > 0) {
      EXPECT_GT(entry.token_begin, previous);
    }
    previous = entry.token_begin;
    EXPECT_LT(entry.byte_begin, entry.byte_end);
    EXPECT_LE(entry.byte_end, text.size());
    // A gram weighs 15: 8 CJK characters.
    EXPECT_EQ(entry.token_end - entry.token_begin, 8u);
  }
}

TEST(TextFingerprintTest, WinnowingGuaranteeHoldsForSharedPassages) {
  // Any shared run of at least window + k - 1 tokens must yield a shared fingerprint.
  const std::string text = LongChineseText();
  Result<TextFingerprint> whole = FingerprintText(text);
  ASSERT_TRUE(whole.ok());
  const std::set<std::uint64_t> whole_hashes = HashSet(*whole);
  // 19 CJK characters = 12 + 8 - 1; bytes are 3 per character (the text is all CJK, but
  // runs containing punctuation have fewer tokens and may legitimately share nothing).
  for (std::size_t start = 0; start + 19 * 3 <= 120 * 3; start += 3) {
    if (text.substr(start, 19 * 3).find("。") != std::string::npos) continue;
    const std::string piece = "甲乙" + text.substr(start, 19 * 3) + "丙丁";
    Result<TextFingerprint> fingerprint = FingerprintText(piece);
    ASSERT_TRUE(fingerprint.ok());
    bool shared = false;
    for (const auto& entry : fingerprint->entries) shared = shared || whole_hashes.contains(entry.hash);
    EXPECT_TRUE(shared) << "no shared fingerprint for the run at byte " << start;
  }
}

TEST(TextFingerprintTest, ShortTextsStillGetOneFingerprint) {
  Result<TextFingerprint> fingerprint = FingerprintText("版权");
  ASSERT_TRUE(fingerprint.ok());
  EXPECT_EQ(fingerprint->entries.size(), 1u);
  Result<TextFingerprint> empty = FingerprintText("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
}

TEST(TextFingerprintTest, SimHashSeparatesNearAndFarTexts) {
  const std::string text = LongChineseText();
  Result<TextFingerprint> original = FingerprintText(text);
  Result<TextFingerprint> edited = FingerprintText(text + "作者另加了一句话。");
  Result<TextFingerprint> other = FingerprintText(
      "Winnowing selects the minimum hash in each window of consecutive k-gram hashes, which guarantees that "
      "any sufficiently long shared substring is detected while keeping only a fraction of all hashes.");
  ASSERT_TRUE(original.ok() && edited.ok() && other.ok());
  EXPECT_LE(SimHashDistance(original->simhash, edited->simhash), 3);
  EXPECT_GT(SimHashDistance(original->simhash, other->simhash), 10);
}

TEST(TextFingerprintTest, EncodingRoundTripsAndRejectsDamage) {
  Result<TextFingerprint> fingerprint = FingerprintText(LongChineseText());
  ASSERT_TRUE(fingerprint.ok());
  const Bytes bytes = EncodeTextFingerprint(*fingerprint);
  Result<TextFingerprint> decoded = DecodeTextFingerprint(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, *fingerprint);

  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{20}, bytes.size() - 1}) {
    Result<TextFingerprint> truncated = DecodeTextFingerprint(ByteView(bytes).first(cut));
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.status().code(), ErrorCode::kCorruption);
  }
  Bytes wrong_magic = bytes;
  wrong_magic[0] = 'X';
  EXPECT_FALSE(DecodeTextFingerprint(wrong_magic).ok());
  Bytes huge_count = bytes;
  huge_count[24] = 0xff;  // entry count's low byte
  huge_count[27] = 0x7f;
  EXPECT_EQ(DecodeTextFingerprint(huge_count).status().code(), ErrorCode::kCorruption);
}

}  // namespace
}  // namespace rightchain::fingerprint
