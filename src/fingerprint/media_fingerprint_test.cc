#include "fingerprint/media_fingerprint.h"

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
    file << "\xef\xbb\xbf" << "登记在区块链上的作品，在被复制和修改以后，仍然可以被监测系统识别出来。";
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

}  // namespace
}  // namespace rightchain::fingerprint
