#include "codec/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rightchain::codec {
namespace {

std::string FromBytes(std::initializer_list<int> bytes) {
  std::string text;
  for (const int byte : bytes) text.push_back(static_cast<char>(byte));
  return text;
}

TEST(Utf8Test, AcceptsWellFormedTextAtEveryBoundary) {
  const std::vector<std::string> valid = {
      "",
      "rightchain",
      FromBytes({0x00}),                    // U+0000 is a scalar value like any other
      FromBytes({0x7F}),                    // U+007F
      FromBytes({0xC2, 0x80}),              // U+0080, smallest two-byte
      FromBytes({0xDF, 0xBF}),              // U+07FF
      FromBytes({0xE0, 0xA0, 0x80}),        // U+0800, smallest three-byte
      FromBytes({0xED, 0x9F, 0xBF}),        // U+D7FF, just below the surrogates
      FromBytes({0xEE, 0x80, 0x80}),        // U+E000, just above them
      FromBytes({0xEF, 0xBF, 0xBF}),        // U+FFFF
      FromBytes({0xF0, 0x90, 0x80, 0x80}),  // U+10000, smallest four-byte
      FromBytes({0xF4, 0x8F, 0xBF, 0xBF}),  // U+10FFFF, the largest code point
      "版权链",
  };
  for (const std::string& text : valid) EXPECT_TRUE(IsValidUtf8(text)) << testing::PrintToString(text);
}

TEST(Utf8Test, RejectsIllFormedTextAndReportsWhere) {
  struct Case {
    std::string text;
    std::size_t offset;
  };
  const std::vector<Case> invalid = {
      {FromBytes({0xC0, 0xAF}), 0},              // overlong "/"
      {FromBytes({0xC1, 0xBF}), 0},              // overlong U+007F
      {FromBytes({0xE0, 0x80, 0xAF}), 0},        // overlong "/"
      {FromBytes({0xE0, 0x9F, 0xBF}), 0},        // overlong U+07FF
      {FromBytes({0xF0, 0x80, 0x80, 0xAF}), 0},  // overlong "/"
      {FromBytes({0xF0, 0x8F, 0xBF, 0xBF}), 0},  // overlong U+FFFF
      {FromBytes({0xED, 0xA0, 0x80}), 0},        // U+D800, a surrogate
      {FromBytes({0xED, 0xBF, 0xBF}), 0},        // U+DFFF, a surrogate
      {FromBytes({0xF4, 0x90, 0x80, 0x80}), 0},  // U+110000
      {FromBytes({0xF5, 0x80, 0x80, 0x80}), 0},  // lead byte that never occurs
      {FromBytes({0xFF}), 0},
      {FromBytes({0x80}), 0},  // stray continuation byte
      {FromBytes({'a', 'b', 0xBF}), 2},
      {FromBytes({'a', 0xC2}), 1},                     // truncated two-byte
      {FromBytes({0xE7, 0x89}), 0},                    // truncated three-byte
      {FromBytes({0xF0, 0x90, 0x80}), 0},              // truncated four-byte
      {FromBytes({'x', 0xC2, 0x41}), 1},               // continuation replaced by ASCII
      {FromBytes({0xE7, 0x89, 0x88, 0xE6, 0x9D}), 3},  // "版" then a truncated character
  };
  for (const Case& test_case : invalid) {
    EXPECT_EQ(FindInvalidUtf8(test_case.text), std::optional<std::size_t>(test_case.offset))
        << testing::PrintToString(test_case.text);
  }
}

// An independent reference: decode the bits, then apply the definition of a Unicode scalar value
// (shortest form, not a surrogate, at most U+10FFFF).
bool ReferenceIsOneScalar(const std::vector<std::uint8_t>& bytes) {
  const std::uint8_t lead = bytes[0];
  std::size_t length = 0;
  std::uint32_t code_point = 0;
  if (lead < 0x80) {
    length = 1, code_point = lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07;
  } else {
    return false;
  }
  if (bytes.size() != length) return false;
  for (std::size_t i = 1; i < length; ++i) {
    if ((bytes[i] & 0xC0) != 0x80) return false;
    code_point = (code_point << 6) | (bytes[i] & 0x3F);
  }
  const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < smallest[length]) return false;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
  return code_point <= 0x10FFFF;
}

std::string AsString(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

TEST(Utf8Test, AgreesWithReferenceOnEveryOneToThreeByteString) {
  std::size_t disagreements = 0;
  for (int first = 0; first < 256; ++first) {
    std::vector<std::uint8_t> one = {static_cast<std::uint8_t>(first)};
    disagreements += IsValidUtf8(AsString(one)) != ReferenceIsOneScalar(one);
    for (int second = 0; second < 256; ++second) {
      std::vector<std::uint8_t> two = {one[0], static_cast<std::uint8_t>(second)};
      // A two-byte string is valid if it is one scalar or two one-byte scalars.
      const bool two_valid = ReferenceIsOneScalar(two) || (first < 0x80 && second < 0x80);
      disagreements += IsValidUtf8(AsString(two)) != two_valid;
      if (first < 0xE0 || first > 0xEF) continue;  // three-byte scalars have these leads
      for (int third = 0; third < 256; ++third) {
        std::vector<std::uint8_t> three = {one[0], two[1], static_cast<std::uint8_t>(third)};
        disagreements += IsValidUtf8(AsString(three)) != ReferenceIsOneScalar(three);
      }
    }
  }
  EXPECT_EQ(disagreements, 0u);
}

TEST(Utf8Test, AgreesWithReferenceOnFourByteStrings) {
  std::size_t disagreements = 0;
  const int tails[] = {0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
  for (int first = 0xF0; first < 0x100; ++first) {
    for (int second = 0; second < 256; ++second) {
      for (const int third : tails) {
        for (const int fourth : tails) {
          const std::vector<std::uint8_t> bytes = {
              static_cast<std::uint8_t>(first), static_cast<std::uint8_t>(second),
              static_cast<std::uint8_t>(third), static_cast<std::uint8_t>(fourth)};
          disagreements += IsValidUtf8(AsString(bytes)) != ReferenceIsOneScalar(bytes);
        }
      }
    }
  }
  EXPECT_EQ(disagreements, 0u);
}

}  // namespace
}  // namespace rightchain::codec
