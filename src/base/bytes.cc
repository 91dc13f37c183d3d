#include "base/bytes.h"

#include <array>

namespace rightchain {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// 0..63 for alphabet characters, -1 otherwise.
constexpr std::array<int, 256> MakeBase64Table() {
  std::array<int, 256> table{};
  for (auto& entry : table) entry = -1;
  for (std::size_t i = 0; i < kBase64Alphabet.size(); ++i) {
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr std::array<int, 256> kBase64Table = MakeBase64Table();

}  // namespace

std::string HexEncode(ByteView bytes) {
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    hex.push_back(kHexDigits[byte >> 4]);
    hex.push_back(kHexDigits[byte & 0x0f]);
  }
  return hex;
}

Result<Bytes> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return Status::InvalidArgument("hex string has odd length");
  Bytes bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = HexValue(hex[i]);
    const int low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0) return Status::InvalidArgument("hex string has a non-hex character");
    bytes.push_back(static_cast<std::uint8_t>(high << 4 | low));
  }
  return bytes;
}

std::string Base64Encode(ByteView bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group =
        std::uint32_t{bytes[i]} << 16 | std::uint32_t{bytes[i + 1]} << 8 | bytes[i + 2];
    text.push_back(kBase64Alphabet[group >> 18 & 63]);
    text.push_back(kBase64Alphabet[group >> 12 & 63]);
    text.push_back(kBase64Alphabet[group >> 6 & 63]);
    text.push_back(kBase64Alphabet[group & 63]);
  }
  const std::size_t remaining = bytes.size() - i;
  if (remaining == 1) {
    const std::uint32_t group = std::uint32_t{bytes[i]} << 16;
    text.push_back(kBase64Alphabet[group >> 18 & 63]);
    text.push_back(kBase64Alphabet[group >> 12 & 63]);
    text += "==";
  } else if (remaining == 2) {
    const std::uint32_t group = std::uint32_t{bytes[i]} << 16 | std::uint32_t{bytes[i + 1]} << 8;
    text.push_back(kBase64Alphabet[group >> 18 & 63]);
    text.push_back(kBase64Alphabet[group >> 12 & 63]);
    text.push_back(kBase64Alphabet[group >> 6 & 63]);
    text.push_back('=');
  }
  return text;
}

Result<Bytes> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return Status::InvalidArgument("base64 length is not a multiple of 4");
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  Bytes bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last_group = i + 4 == text.size();
    const std::size_t group_padding = last_group ? padding : 0;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      if (j >= 4 - group_padding) {
        group <<= 6;
        continue;
      }
      const int value = kBase64Table[static_cast<unsigned char>(text[i + j])];
      if (value < 0) return Status::InvalidArgument("base64 has a character outside the alphabet");
      group = group << 6 | static_cast<std::uint32_t>(value);
    }
    bytes.push_back(static_cast<std::uint8_t>(group >> 16));
    if (group_padding < 2) bytes.push_back(static_cast<std::uint8_t>(group >> 8));
    if (group_padding < 1) bytes.push_back(static_cast<std::uint8_t>(group));
    // Canonical form: the bits that padding hides must be zero.
    if ((group_padding == 1 && (group & 0xff) != 0) || (group_padding == 2 && (group & 0xffff) != 0)) {
      return Status::InvalidArgument("base64 has non-zero padding bits");
    }
  }
  return bytes;
}

bool ConstantTimeEqual(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  std::uint8_t difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= a[i] ^ b[i];
  return difference == 0;
}

}  // namespace rightchain
