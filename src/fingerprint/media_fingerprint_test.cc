#include "fingerprint/media_fingerprint.h"

#include "fingerprint/text_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rightchain::fingerprint {
namespace {

TEST(MediaFingerprintTest, FingerprintsUtf8TextFiles) {
  const std::filesystem::path path = std::filesystem::path(testing::TempDir()) / "media_fingerprint_test.txt";
  {
    std::ofstream file(path, std::ios::binary);
    file << "\xef\xbb\xbf"
         << "登记在区块链上的作品，在被复制和修改以后，仍然可以被监测系统识别出来。";
  }
  Result<MediaFingerprint> fingerprint = FingerprintFile(path);
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().ToString();
  EXPECT_EQ(fingerprint->kind, MediaKind::kText);
  EXPECT_EQ(MediaKindName(fingerprint->kind), "text");
  EXPECT_EQ(fingerprint->algorithm, kTextAlgorithmName);
  Result<TextFingerprint> decoded = DecodeTextFingerprint(fingerprint->fingerprint);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, fingerprint->text);
  EXPECT_FALSE(decoded->entries.empty());
  std::filesystem::remove(path);
}

TEST(MediaFingerprintTest, RefusesUnsupportedContentClearly) {
  struct Case {
    std::string content;
    std::string expected;
  };
  const Case cases[] = {
      {std::string("\x89PNG\r\n\x1a\n\0\0", 10), "PNG image"},
      {std::string("\xff\xd8\xff\xe0", 4), "JPEG image"},
      {std::string("\xff\xfeh\0i\0", 6), "UTF-16"},
      {std::string("abc\0def", 7), "NUL"},
      {std::string("caf\xe9", 4), "not valid UTF-8"},
  };
  for (const Case& test_case : cases) {
    Result<MediaFingerprint> fingerprint = FingerprintBytes(AsBytes(test_case.content));
    ASSERT_FALSE(fingerprint.ok());
    EXPECT_EQ(fingerprint.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(fingerprint.status().message(), testing::HasSubstr(test_case.expected));
  }
  EXPECT_EQ(FingerprintFile("/nonexistent/file.txt").status().code(), ErrorCode::kIoError);
}

// What `rightchain index add` and `rightchain match FILE --index DIR` do, end to end.
TEST(MediaFingerprintTest, RegisteredFileIsFoundInACopyAfterReload) {
  const std::filesystem::path directory =
      std::filesystem::path(testing::TempDir()) / "media_fingerprint_index";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  const std::string work =
      "春天来了，山上的雪慢慢融化，小河里的水也越来越多了。村子里的孩子们跑到河边，看着冰块一块一块地漂走。"
      "老人们坐在门口晒太阳，说今年一定是个好年成。田里的麦苗绿油油的，风一吹就像波浪一样起伏。";
  const std::string copied =
      "老人們坐在門口曬太陽，說今年一定是個好年成。田裡的麥苗綠油油的，風一吹就像波浪一樣起伏。";
  const std::string copy = "轉載：" + copied + "（完）";
  {
    std::ofstream(directory / "work.txt", std::ios::binary) << work;
    std::ofstream(directory / "copy.txt", std::ios::binary) << copy;
  }
  Result<MediaFingerprint> registered = FingerprintFile(directory / "work.txt");
  ASSERT_TRUE(registered.ok());
  TextIndex index;
  ASSERT_TRUE(index.Add("work-1", registered->text).ok());
  ASSERT_TRUE(index.Save(directory / "index").ok());

  Result<TextIndex> loaded = TextIndex::Load(directory / "index");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  Result<TextFingerprint> query = FingerprintQueryFile(directory / "copy.txt");
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  const std::vector<TextMatch> matches = loaded->Match(*query);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].document_id, "work-1");
  ASSERT_EQ(matches[0].alignment.passages.size(), 1u);
  const Passage& passage = matches[0].alignment.passages[0];
  // The passage lies inside the copied sentences of each text (traditional script in the copy).
  EXPECT_GE(passage.query.begin, copy.find(copied));
  EXPECT_LE(passage.query.end, copy.find(copied) + copied.size());
  EXPECT_GE(passage.registered.begin, work.find("老人们"));
  EXPECT_GT(matches[0].alignment.query_coverage, 0.7);
  EXPECT_GT(matches[0].alignment.registered_coverage, 0.3);
  EXPECT_LT(matches[0].alignment.registered_coverage, 0.7);
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace rightchain::fingerprint
