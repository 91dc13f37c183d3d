// Signature bytes and the rules for what may be signed (domain separation by construction).
//
// Two kinds of message are signable, and no message is both:
//   * binary objects, which start with a domain tag (crypto/domain.h: first byte 0x00);
//   * C2SP signed-note texts, which never start with 0x00 and end in '\n'.
// PrivateKey::Sign / PublicKey::Verify take the first kind, SignNote / VerifyNote the second.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/suite.h"

namespace rightchain::crypto {

// Both schemes' signatures are 64 bytes: Ed25519 R‖S (RFC 8032); SM2 r‖s, each 32 bytes big-endian.
inline constexpr std::size_t kSignatureSize = 64;
using Signature = std::array<std::uint8_t, kSignatureSize>;

// Raw public keys: Ed25519 = the 32-byte RFC 8032 encoding; SM2 = 65 bytes 0x04‖x‖y (uncompressed point).
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kSm2PublicKeySize = 65;
std::size_t RawPublicKeySize(SignatureScheme scheme);

// Raw private keys (PrivateKey::FromRaw): Ed25519 = the 32-byte seed; SM2 = the 32-byte scalar d, big-endian.
inline constexpr std::size_t kRawPrivateKeySize = 32;

// GB/T 32918.2 default distinguishing ID, used in SM2's Z value for every signature.
inline constexpr std::string_view kSm2DistinguishingId = "1234567812345678";

// OK if `message` starts with a well-formed domain tag.
Status CheckSignableObject(ByteView message);
// OK if `text` is non-empty, does not start with 0x00 and ends in '\n'.
Status CheckSignableNote(std::string_view text);

}  // namespace rightchain::crypto
