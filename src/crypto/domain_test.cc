#include "crypto/domain.h"

#include <gtest/gtest.h>

#include <string>

namespace rightchain::crypto {
namespace {

TEST(DomainTagTest, BytesAreMarkerLengthType) {
  const Bytes tag = DomainTag("rightchain/transaction");
  EXPECT_EQ(HexEncode(tag), "0016" + HexEncode(AsBytes("rightchain/transaction")));
  EXPECT_EQ(HexEncode(DomainTag("a")), "000161");
}

TEST(DomainTagTest, ParseReturnsTagLengthAndType) {
  Bytes message = DomainTag("rightchain/vote");
  message.push_back(0x42);
  EXPECT_EQ(ParseDomainTag(message).value(), 2 + std::string_view("rightchain/vote").size());
  EXPECT_EQ(DomainTypeOf(message).value(), "rightchain/vote");
  // A tag with nothing after it is still a tag.
  EXPECT_EQ(ParseDomainTag(DomainTag("x")).value(), 3u);
}

TEST(DomainTagTest, ValidTypes) {
  const std::string longest(64, 'z');
  const std::string too_long(65, 'z');
  for (std::string_view type :
       {std::string_view("a"), std::string_view("0"), std::string_view("rightchain/transaction"),
        std::string_view("a.b_c-d/e9"), std::string_view(longest)}) {
    EXPECT_TRUE(IsValidDomainType(type)) << type;
  }
  for (std::string_view type :
       {std::string_view(""), std::string_view("A"), std::string_view("/a"), std::string_view(".a"),
        std::string_view("-a"), std::string_view("_a"), std::string_view("a b"), std::string_view("a\n"),
        std::string_view("\xc3\xa4"), std::string_view(too_long)}) {
    EXPECT_FALSE(IsValidDomainType(type)) << type;
  }
}

TEST(DomainTagTest, RejectsMalformedTags) {
  const auto rejects = [](const Bytes& message) {
    const Result<std::size_t> parsed = ParseDomainTag(message);
    return !parsed.ok() && parsed.status().code() == ErrorCode::kInvalidArgument;
  };
  EXPECT_TRUE(rejects({}));
  EXPECT_TRUE(rejects({0x00}));
  EXPECT_TRUE(rejects({0x01, 0x01, 'a'}));       // no 0x00 marker
  EXPECT_TRUE(rejects({0x00, 0x00}));            // empty type
  EXPECT_TRUE(rejects({0x00, 0x03, 'a', 'b'}));  // truncated
  EXPECT_TRUE(rejects({0x00, 0x02, 'A', 'b'}));  // upper case
  EXPECT_TRUE(rejects({0x00, 0x02, '/', 'b'}));  // bad first character
  Bytes too_long = {0x00, 65};
  too_long.insert(too_long.end(), 65, 'a');
  EXPECT_TRUE(rejects(too_long));
  EXPECT_TRUE(rejects(ToBytes("hello\n")));  // a note is not a tagged object
}

TEST(DomainTagDeathTest, InvalidTypeIsABug) {
  EXPECT_DEATH(DomainTag("Not Valid"), "IsValidDomainType");
}

}  // namespace
}  // namespace rightchain::crypto
