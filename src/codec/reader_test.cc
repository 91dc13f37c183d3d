// Writer and Reader primitives: values round-trip, and every malformed input is an error naming
// its field (never a crash, never an allocation sized by an unchecked prefix).
#include "codec/reader.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "codec/writer.h"

namespace rightchain::codec {
namespace {

enum class Color : std::uint8_t { kRed = 1, kGreen = 2, kBlue = 7 };
enum class Shape : std::uint16_t { kCircle = 0x0100, kSquare = 0x0200 };
constexpr std::array<Color, 3> kColors = {Color::kRed, Color::kGreen, Color::kBlue};
constexpr std::array<Shape, 2> kShapes = {Shape::kCircle, Shape::kSquare};
constexpr std::array<std::uint8_t, 2> kVersions = {1, 3};

Bytes Hex(std::string_view hex) {
  return HexDecode(hex).value();
}

// Expects `status` to be an invalid-argument error whose message names `field` first.
void ExpectFieldError(const Status& status, std::string_view field, std::string_view fragment = "") {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(status.message().starts_with(std::string(field) + ": ")) << status.message();
  EXPECT_NE(status.message().find(fragment), std::string::npos) << status.message();
}

TEST(WriterReaderTest, IntegersAreBigEndianAndRoundTrip) {
  Writer writer;
  writer.WriteU8(0xAB);
  writer.WriteU16(0x0102);
  writer.WriteU32(0x01020304);
  writer.WriteU64(0x0102030405060708);
  writer.WriteU64(std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(HexEncode(writer.bytes()),
            "ab"
            "0102"
            "01020304"
            "0102030405060708"
            "ffffffffffffffff");

  Reader reader(writer.bytes());
  EXPECT_EQ(*reader.ReadU8("a"), 0xAB);
  EXPECT_EQ(*reader.ReadU16("b"), 0x0102);
  EXPECT_EQ(*reader.ReadU32("c"), 0x01020304u);
  EXPECT_EQ(*reader.ReadU64("d"), 0x0102030405060708u);
  EXPECT_EQ(*reader.ReadU64("e"), std::numeric_limits<std::uint64_t>::max());
  EXPECT_TRUE(reader.Finish("object").ok());
}

TEST(WriterReaderTest, TruncatedIntegersAreRejected) {
  const Bytes three = Hex("010203");
  ExpectFieldError(Reader(three).ReadU32("vote.round").status(), "vote.round",
                   "truncated: needs 4 bytes, 3 remain");
  ExpectFieldError(Reader(three).ReadU64("vote.height").status(), "vote.height", "truncated");
  ExpectFieldError(Reader(ByteView()).ReadU8("vote.step").status(), "vote.step", "truncated");
  ExpectFieldError(Reader(ByteView(three).first(1)).ReadU16("vote.kind").status(), "vote.kind", "truncated");
}

TEST(WriterReaderTest, BoolIsExactlyZeroOrOne) {
  Writer writer;
  writer.WriteBool(false);
  writer.WriteBool(true);
  EXPECT_EQ(HexEncode(writer.bytes()), "0001");
  Reader reader(writer.bytes());
  EXPECT_EQ(*reader.ReadBool("a"), false);
  EXPECT_EQ(*reader.ReadBool("b"), true);

  for (const char* bad : {"02", "ff", "80"}) {
    const Bytes input = Hex(bad);
    ExpectFieldError(Reader(input).ReadBool("receipt.conflict").status(), "receipt.conflict",
                     "invalid bool byte");
  }
}

TEST(WriterReaderTest, FixedBytesHaveNoLength) {
  const std::array<std::uint8_t, 4> value = {9, 8, 7, 6};
  Writer writer;
  writer.WriteFixed(value);
  EXPECT_EQ(HexEncode(writer.bytes()), "09080706");
  Reader reader(writer.bytes());
  EXPECT_EQ((*reader.ReadArray<4>("digest")), value);
  ExpectFieldError(Reader(writer.bytes()).ReadArray<5>("header.digest").status(), "header.digest",
                   "truncated");
}

TEST(WriterReaderTest, BytesCarryALengthAndRespectTheirMaximum) {
  Writer writer;
  writer.WriteBytes(AsBytes("abc"), 3);
  writer.WriteBytes(ByteView(), 0);
  EXPECT_EQ(HexEncode(writer.bytes()),
            "00000003616263"
            "00000000");
  Reader reader(writer.bytes());
  EXPECT_EQ(AsText(*reader.ReadBytes("a", 3)), "abc");
  EXPECT_TRUE(reader.ReadBytes("b", 0)->empty());
  EXPECT_TRUE(reader.Finish("object").ok());

  // Above the field's maximum: rejected from the prefix alone, even with no bytes following.
  const Bytes huge = Hex("001e8480");  // 2000000
  ExpectFieldError(Reader(huge).ReadBytes("transaction.payload", 1048576).status(), "transaction.payload",
                   "length 2000000 exceeds maximum 1048576");
  // Within the maximum but beyond the input.
  const Bytes short_input = Hex("0000000561626364");
  ExpectFieldError(Reader(short_input).ReadBytes("record.title", 100).status(), "record.title",
                   "length 5 exceeds the 4 bytes remaining");
  // The largest prefix there is.
  const Bytes largest = Hex("ffffffff");
  ExpectFieldError(Reader(largest).ReadBytes("record.title", kMaxLengthPrefix).status(), "record.title",
                   "exceeds the 0 bytes remaining");
  // A truncated prefix.
  const Bytes two = Hex("0000");
  ExpectFieldError(Reader(two).ReadBytes("record.title", 100).status(), "record.title", "truncated");
}

TEST(WriterReaderTest, TextMustBeUtf8) {
  Writer writer;
  writer.WriteText("版权", 6);
  EXPECT_EQ(HexEncode(writer.bytes()), "00000006e78988e69d83");
  Reader reader(writer.bytes());
  EXPECT_EQ(*reader.ReadText("title", 6), "版权");

  ExpectFieldError(Reader(writer.bytes()).ReadText("record.title", 5).status(), "record.title",
                   "length 6 exceeds maximum 5");
  // Overlong, surrogate, above U+10FFFF, truncated character.
  for (const char* bad : {"00000002c0af", "00000003eda080", "00000004f4908080", "0000000261e7"}) {
    const Bytes input = Hex(bad);
    ExpectFieldError(Reader(input).ReadText("record.title", 64).status(), "record.title", "not valid UTF-8");
  }
}

TEST(WriterReaderTest, DomainTagMustNameTheExpectedType) {
  Writer writer;
  writer.WriteDomainTag("rightchain/vote");
  writer.WriteVersion(1);
  EXPECT_EQ(HexEncode(writer.bytes()), "000f" + HexEncode(AsBytes("rightchain/vote")) + "01");

  Reader reader(writer.bytes());
  EXPECT_TRUE(reader.ExpectDomainTag("vote.domain_tag", "rightchain/vote").ok());
  EXPECT_EQ(*reader.ReadVersion("vote.version", kVersions), 1);
  EXPECT_TRUE(reader.Finish("vote").ok());

  ExpectFieldError(Reader(writer.bytes()).ExpectDomainTag("block.domain_tag", "rightchain/block"),
                   "block.domain_tag", "type \"rightchain/vote\" where \"rightchain/block\" was expected");
  // Malformed tags: wrong marker, zero length, truncated, characters outside the alphabet, empty input.
  for (const char* bad : {"010f", "0000", "000f7269", "00034142430a", ""}) {
    const Bytes input = Hex(bad);
    ExpectFieldError(Reader(input).ExpectDomainTag("vote.domain_tag", "rightchain/vote"), "vote.domain_tag");
  }
  // A longer type that starts with the expected one is a different type.
  Writer longer;
  longer.WriteDomainTag("rightchain/vote2");
  ExpectFieldError(Reader(longer.bytes()).ExpectDomainTag("vote.domain_tag", "rightchain/vote"),
                   "vote.domain_tag");
}

TEST(WriterReaderTest, UnknownVersionsAreRejected) {
  for (const char* bad : {"00", "02", "04", "ff"}) {
    const Bytes input = Hex(bad);
    ExpectFieldError(Reader(input).ReadVersion("vote.version", kVersions).status(), "vote.version",
                     "unknown version");
  }
  const Bytes three = Hex("03");
  EXPECT_EQ(*Reader(three).ReadVersion("vote.version", kVersions), 3);
}

TEST(WriterReaderTest, EnumerationsAcceptOnlyTheirValues) {
  Writer writer;
  writer.WriteEnum(Color::kBlue);
  writer.WriteEnum(Shape::kSquare);
  EXPECT_EQ(HexEncode(writer.bytes()),
            "07"
            "0200");
  Reader reader(writer.bytes());
  EXPECT_EQ(*reader.ReadEnum<Color>("color", kColors), Color::kBlue);
  EXPECT_EQ(*reader.ReadEnum<Shape>("shape", kShapes), Shape::kSquare);

  for (const char* bad : {"00", "03", "ff"}) {
    const Bytes input = Hex(bad);
    ExpectFieldError(Reader(input).ReadEnum<Color>("paint.color", kColors).status(), "paint.color",
                     "is not one of the allowed values");
  }
  const Bytes bad_shape = Hex("0101");
  ExpectFieldError(Reader(bad_shape).ReadEnum<Shape>("paint.shape", kShapes).status(), "paint.shape");
}

TEST(WriterReaderTest, SequencesRoundTripAndBoundTheirCount) {
  const std::vector<std::uint16_t> values = {1, 2, 3};
  Writer writer;
  writer.WriteSequence(values, 10, [](Writer& out, std::uint16_t value) { out.WriteU16(value); });
  EXPECT_EQ(HexEncode(writer.bytes()),
            "00000003"
            "0001"
            "0002"
            "0003");
  Reader reader(writer.bytes());
  const auto read_u16 = [](Reader& in) { return in.ReadU16("list.item"); };
  EXPECT_EQ(*reader.ReadSequence<std::uint16_t>("list", 10, 2, read_u16), values);
  EXPECT_TRUE(reader.Finish("list").ok());

  ExpectFieldError(Reader(writer.bytes()).ReadCount("block.transactions", 2, 2).status(),
                   "block.transactions", "count 3 exceeds maximum 2");
  // Three items of at least 3 bytes need 9 bytes; 6 remain.
  ExpectFieldError(Reader(writer.bytes()).ReadCount("block.transactions", 10, 3).status(),
                   "block.transactions", "exceeds the 6 bytes remaining");
  // A count of 2^32 - 1 with a permissive maximum must fail before anything is reserved.
  const Bytes huge = Hex("ffffffff00");
  ExpectFieldError(
      Reader(huge).ReadSequence<std::uint16_t>("block.transactions", kMaxLengthPrefix, 1, read_u16).status(),
      "block.transactions", "remaining");
  // Items that are shorter than the declared minimum still fail cleanly at the end.
  const Bytes items_short =
      Hex("00000002"
          "0001"
          "00");
  ExpectFieldError(Reader(items_short).ReadSequence<std::uint16_t>("list", 10, 1, read_u16).status(),
                   "list.item", "truncated");
}

TEST(WriterReaderTest, OptionalsUseAPresenceByte) {
  Writer writer;
  writer.WriteOptional(std::optional<std::uint32_t>(), [](Writer& out, std::uint32_t v) { out.WriteU32(v); });
  writer.WriteOptional(std::optional<std::uint32_t>(5),
                       [](Writer& out, std::uint32_t v) { out.WriteU32(v); });
  EXPECT_EQ(HexEncode(writer.bytes()),
            "00"
            "0100000005");
  Reader reader(writer.bytes());
  const auto read_u32 = [](Reader& in) { return in.ReadU32("value"); };
  EXPECT_EQ(*reader.ReadOptional<std::uint32_t>("a", read_u32), std::nullopt);
  EXPECT_EQ(*reader.ReadOptional<std::uint32_t>("b", read_u32), std::optional<std::uint32_t>(5));

  const Bytes bad = Hex("0200000005");
  ExpectFieldError(Reader(bad).ReadOptional<std::uint32_t>("vote.lock", read_u32).status(), "vote.lock",
                   "invalid presence byte 0x02");
}

TEST(WriterReaderTest, FinishRejectsTrailingBytes) {
  const Bytes input = Hex("0102");
  Reader reader(input);
  ASSERT_TRUE(reader.ReadU8("a").ok());
  ExpectFieldError(reader.Finish("header"), "header", "1 trailing byte after the last field");
  Reader empty(ByteView{});
  EXPECT_TRUE(empty.Finish("header").ok());
}

TEST(WriterReaderTest, TheFirstErrorIsSticky) {
  const Bytes input =
      Hex("05"
          "000000");
  Reader reader(input);
  const Status first = reader.ReadBool("header.flag").status();
  ExpectFieldError(first, "header.flag");
  // Later reads that would succeed on their own still report the first error.
  EXPECT_EQ(reader.ReadU8("header.other").status(), first);
  EXPECT_EQ(reader.Fail("header.later", "ignored"), first);
  EXPECT_EQ(reader.Finish("header"), first);
  EXPECT_EQ(reader.status(), first);
  EXPECT_EQ(reader.position(), 1u);
}

TEST(WriterDeathTest, OurObjectsMustRespectTheirLimits) {
  EXPECT_DEATH(
      {
        Writer writer;
        writer.WriteBytes(AsBytes("abcd"), 3);
      },
      "assertion failed");
  EXPECT_DEATH(
      {
        Writer writer;
        writer.WriteText("\xC0\xAF", 10);
      },
      "UTF-8");
  EXPECT_DEATH(
      {
        Writer writer;
        writer.WriteCount(11, 10);
      },
      "assertion failed");
  EXPECT_DEATH(
      {
        Writer writer;
        writer.WriteDomainTag("Not A Type");
      },
      "assertion failed");
}

}  // namespace
}  // namespace rightchain::codec
