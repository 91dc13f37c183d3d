#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "net/backoff.h"
#include "net/frame.h"

namespace rightchain::net {
namespace {

using ::testing::HasSubstr;

std::array<std::uint8_t, kFrameHeaderSize> HeaderOf(const Bytes& frame) {
  return {frame[0], frame[1], frame[2], frame[3]};
}

TEST(FrameTest, EncodesLengthBigEndianThenKindThenBody) {
  Bytes frame = EncodeFrame(FrameKind::kMessage, ToBytes("abc"));
  EXPECT_EQ(frame, (Bytes{0, 0, 0, 4, 2, 'a', 'b', 'c'}));
  Result<std::uint32_t> length = DecodeFrameLength(HeaderOf(frame), kDefaultMaxFrameSizeBytes);
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(*length, 4u);
  Result<FrameView> parsed = ParseFrame(ByteView(frame).subspan(kFrameHeaderSize));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->kind, FrameKind::kMessage);
  EXPECT_EQ(AsText(parsed->body), "abc");
}

TEST(FrameTest, RejectsOversizedAndEmptyLengthsBeforeAllocating) {
  Result<std::uint32_t> huge = DecodeFrameLength({0xff, 0xff, 0xff, 0xff}, kDefaultMaxFrameSizeBytes);
  EXPECT_EQ(huge.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_THAT(huge.status().message(), HasSubstr("4294967295 bytes exceeds the limit of 4194304"));
  EXPECT_TRUE(DecodeFrameLength({0x00, 0x40, 0x00, 0x00}, kDefaultMaxFrameSizeBytes).ok());  // exactly 4 MiB
  EXPECT_FALSE(DecodeFrameLength({0x00, 0x40, 0x00, 0x01}, kDefaultMaxFrameSizeBytes).ok());
  EXPECT_EQ(DecodeFrameLength({0, 0, 0, 0}, kDefaultMaxFrameSizeBytes).status().code(),
            ErrorCode::kCorruption);
}

TEST(FrameTest, RejectsUnknownKindsAndBadPingBodies) {
  EXPECT_EQ(ParseFrame(Bytes{9}).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(ParseFrame(Bytes{0}).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(ParseFrame(Bytes{}).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(ParseFrame(Bytes{3, 1, 2}).status().code(), ErrorCode::kCorruption);
  Bytes ping = EncodeFrame(FrameKind::kPing, EncodeSequence(0x0102030405060708));
  Result<FrameView> parsed = ParseFrame(ByteView(ping).subspan(kFrameHeaderSize));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(DecodeSequence(parsed->body), 0x0102030405060708u);
}

TEST(BackoffTest, DoublesUpToTheCapWithEqualJitter) {
  BackoffPolicy policy{.initial_delay_milliseconds = 100, .max_delay_milliseconds = 1000};
  EXPECT_EQ(BackoffDelayMilliseconds(policy, 0, 0.0), 50u);
  EXPECT_EQ(BackoffDelayMilliseconds(policy, 0, 1.0), 100u);
  EXPECT_EQ(BackoffDelayMilliseconds(policy, 1, 1.0), 200u);
  EXPECT_EQ(BackoffDelayMilliseconds(policy, 2, 0.5), 300u);
  EXPECT_EQ(BackoffDelayMilliseconds(policy, 3, 1.0), 800u);
  EXPECT_EQ(BackoffDelayMilliseconds(policy, 4, 1.0), 1000u);
  EXPECT_EQ(BackoffDelayMilliseconds(policy, 4, 0.0), 500u);
  EXPECT_EQ(BackoffDelayMilliseconds(policy, 4'000'000'000u, 1.0), 1000u);  // no overflow
}

}  // namespace
}  // namespace rightchain::net
