#include <gtest/gtest.h>

#include "base/bytes.h"
#include "base/status.h"
#include "base/time_text.h"

namespace rightchain {
namespace {

TEST(StatusTest, OkAndErrorCarryCodeAndMessage) {
  EXPECT_TRUE(Status::Ok().ok());
  const Status error = Status::InvalidArgument("bad length");
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.ToString(), "invalid_argument: bad length");
  EXPECT_EQ(error.WithContext("decoding vote").message(), "decoding vote: bad length");
}

Result<int> ParsePositive(int value) {
  if (value <= 0) return Status::InvalidArgument("not positive");
  return value;
}

Result<int> DoubleParsed(int value) {
  RC_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

TEST(ResultTest, PropagatesValuesAndErrors) {
  EXPECT_EQ(*DoubleParsed(21), 42);
  const Result<int> failed = DoubleParsed(-1);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "not positive");
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  EXPECT_DEATH({ (void)ParsePositive(0).value(); }, "assertion failed");
}

TEST(HexTest, RoundTripsAndRejectsBadInput) {
  const Bytes bytes = {0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(HexEncode(bytes), "007f80ff");
  EXPECT_EQ(*HexDecode("007F80ff"), bytes);
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

// RFC 4648 §10 test vectors.
TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), encoded);
    const Result<Bytes> decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(AsText(*decoded), plain);
  }
}

TEST(Base64Test, RejectsNonCanonicalInput) {
  EXPECT_FALSE(Base64Decode("Zg=").ok());       // wrong length
  EXPECT_FALSE(Base64Decode("Zh==").ok());      // non-zero padding bits
  EXPECT_FALSE(Base64Decode("Zm9v\n").ok());    // whitespace
  EXPECT_FALSE(Base64Decode("Z===").ok());      // too much padding
  EXPECT_FALSE(Base64Decode("Zg==Zg==").ok());  // padding in the middle
}

TEST(ConstantTimeEqualTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEqual(AsBytes("abc"), AsBytes("abc")));
  EXPECT_FALSE(ConstantTimeEqual(AsBytes("abc"), AsBytes("abd")));
  EXPECT_FALSE(ConstantTimeEqual(AsBytes("abc"), AsBytes("ab")));
}

}  // namespace
}  // namespace rightchain

#include <sys/stat.h>

#include "base/file.h"

namespace rightchain {
namespace {

TEST(FileTest, WritesAtomicallyWithPermissionsAndReadsWithinLimit) {
  char pattern[] = "/tmp/rightchain-file-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const std::filesystem::path directory = pattern;
  const std::filesystem::path path = directory / "secret.txt";
  ASSERT_TRUE(WriteFile(path, "first", 0600).ok());
  ASSERT_TRUE(WriteFile(path, "second version", 0600).ok());
  EXPECT_EQ(*ReadFile(path), "second version");
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  EXPECT_EQ(ReadFile(path, 3).status().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(ReadFile(directory / "absent").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(WriteFile(directory / "no" / "such" / "dir", "x").code(), ErrorCode::kIoError);
  std::filesystem::remove_all(directory);
}

TEST(IsoUtcTimeTest, FormatsMillisecondsInUtc) {
  EXPECT_EQ(IsoUtcTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(IsoUtcTime(1'800'000'000'123), "2027-01-15T08:00:00.123Z");
  EXPECT_EQ(IsoUtcTime(-1), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace rightchain
