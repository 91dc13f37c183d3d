// HMAC (RFC 2104) with the suite's hash, through OpenSSL: HMAC-SHA256 or HMAC-SM3. Used where a
// value must be committed to under a secret key, so that nobody without the key can test guesses
// (an ID number's plain hash can be brute-forced; its HMAC under an authority's secret cannot).
#pragma once

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"

namespace rightchain::crypto {

inline constexpr std::size_t kMinHmacKeySize = 16;

// `key` must be at least kMinHmacKeySize bytes.
Result<Digest> Hmac(HashAlgorithm algorithm, ByteView key, ByteView message);

}  // namespace rightchain::crypto
