#include "fingerprint/passage.h"

#include <gtest/gtest.h>

namespace rightchain::fingerprint {
namespace {

const std::string kWork =
    "第一章。春天来了，山上的雪慢慢融化，小河里的水也越来越多了。村子里的孩子们跑到河边，看着冰块一块一块地漂"
    "走。"
    "老人们坐在门口晒太阳，说今年一定是个好年成。田里的麦苗绿油油的，风一吹就像波浪一样起伏。"
    "第二章。夏天的夜晚特别热闹，萤火虫在草丛里一闪一闪，青蛙在池塘边不停地叫着。孩子们拿着扇子追逐打闹，"
    "大人们在院子里摆上桌子，一边乘凉一边讲故事，一直讲到月亮升得老高老高。";

TEST(PassageTest, ReportsCopiedPassageInBothTexts) {
  const std::string copied =
      "老人们坐在门口晒太阳，说今年一定是个好年成。田里的麦苗绿油油的，风一吹就像波浪一样起伏。";
  const std::string query = "这是一篇完全不同的文章，讲的是城市里的交通问题和地铁建设。" + copied +
                            "后面又接着谈论了停车难的问题以及共享单车的管理办法。";
  Result<TextFingerprint> work = FingerprintText(kWork);
  Result<TextFingerprint> copy = FingerprintText(query);
  ASSERT_TRUE(work.ok() && copy.ok());
  const PassageAlignment alignment = AlignPassages(*copy, *work);
  ASSERT_EQ(alignment.passages.size(), 1u);
  const Passage& passage = alignment.passages[0];
  // The reported ranges lie inside the copied sentences in both original texts.
  const std::size_t copied_in_query = query.find(copied);
  const std::size_t copied_in_work = kWork.find(copied);
  EXPECT_GE(passage.query.begin, copied_in_query);
  EXPECT_LE(passage.query.end, copied_in_query + copied.size());
  EXPECT_GE(passage.registered.begin, copied_in_work);
  EXPECT_LE(passage.registered.end, copied_in_work + copied.size());
  // And cover most of them.
  EXPECT_GT(passage.query.end - passage.query.begin, copied.size() / 2);
  EXPECT_EQ(query.substr(passage.query.begin, passage.query.end - passage.query.begin),
            kWork.substr(passage.registered.begin, passage.registered.end - passage.registered.begin));
  EXPECT_GT(alignment.query_coverage, 0.2);
  EXPECT_LT(alignment.query_coverage, 0.7);
  EXPECT_GT(alignment.registered_coverage, 0.15);
  EXPECT_LT(alignment.registered_coverage, 0.5);
}

TEST(PassageTest, AVerbatimCopyHasNoSkewAndAnEditedOneHas) {
  Result<TextFingerprint> work = FingerprintText(kWork);
  Result<TextFingerprint> verbatim = FingerprintQueryText(kWork);
  std::string edited = kWork;
  // One CJK character in every sentence doubled: steps in the copy grow by one token.
  for (const std::string_view mark : {"雪", "冰", "好", "风", "萤", "扇", "故"}) {
    const std::size_t at = edited.find(mark);
    ASSERT_NE(at, std::string::npos);
    edited.insert(at, mark);
  }
  Result<TextFingerprint> copy = FingerprintQueryText(edited);
  ASSERT_TRUE(work.ok() && verbatim.ok() && copy.ok());
  const PassageAlignment exact = AlignPassages(*verbatim, *work);
  ASSERT_EQ(exact.passages.size(), 1u);
  EXPECT_EQ(exact.passages[0].max_skew_tokens, 0u);
  // Most query tokens of a verbatim copy lie inside shared grams (winnowing leaves small gaps).
  EXPECT_LE(exact.passages[0].shared_query_tokens, exact.passages[0].query_tokens);
  EXPECT_GT(exact.passages[0].shared_query_tokens, exact.passages[0].query_tokens * 3 / 4);
  const PassageAlignment skewed = AlignPassages(*copy, *work);
  ASSERT_FALSE(skewed.passages.empty());
  std::uint32_t largest_skew = 0;
  for (const Passage& passage : skewed.passages) {
    largest_skew = std::max(largest_skew, passage.max_skew_tokens);
    EXPECT_LE(passage.shared_query_tokens, passage.query_tokens);
  }
  EXPECT_EQ(largest_skew, 1u);
}

TEST(PassageTest, ReorderedChaptersGiveSeparatePassages) {
  const std::size_t split = kWork.find("第二章");
  const std::string swapped = kWork.substr(split) + kWork.substr(0, split);
  Result<TextFingerprint> work = FingerprintText(kWork);
  Result<TextFingerprint> copy = FingerprintText(swapped);
  ASSERT_TRUE(work.ok() && copy.ok());
  const PassageAlignment alignment = AlignPassages(*copy, *work);
  EXPECT_EQ(alignment.passages.size(), 2u);
  EXPECT_GT(alignment.registered_coverage, 0.8);
  EXPECT_GT(alignment.query_coverage, 0.8);
}

TEST(PassageTest, UnrelatedTextsShareNothing) {
  Result<TextFingerprint> work = FingerprintText(kWork);
  Result<TextFingerprint> other = FingerprintText(
      "Software freedom means the users have the freedom to run, copy, distribute, study, change and improve "
      "the software. Thus free software is a matter of liberty, not price.");
  ASSERT_TRUE(work.ok() && other.ok());
  const PassageAlignment alignment = AlignPassages(*other, *work);
  EXPECT_TRUE(alignment.passages.empty());
  EXPECT_EQ(alignment.query_coverage, 0);
}

}  // namespace
}  // namespace rightchain::fingerprint
