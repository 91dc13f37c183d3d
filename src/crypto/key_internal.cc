#include "crypto/key_internal.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <cstring>

#include "base/assert.h"

namespace rightchain::crypto::internal {
namespace {

// The SM2 group order n, big-endian, taken from OpenSSL's curve table once.
const std::array<std::uint8_t, kSm2ScalarSize>& Sm2Order() {
  static const std::array<std::uint8_t, kSm2ScalarSize> order = [] {
    std::array<std::uint8_t, kSm2ScalarSize> bytes{};
    EcGroupPointer group(EC_GROUP_new_by_curve_name(NID_sm2));
    RC_ASSERT_MSG(group != nullptr, "OpenSSL lacks the SM2 curve");
    RC_ASSERT(BN_bn2binpad(EC_GROUP_get0_order(group.get()), bytes.data(), bytes.size()) ==
              static_cast<int>(bytes.size()));
    return bytes;
  }();
  return order;
}

}  // namespace

Result<SignatureScheme> SchemeOfKey(const EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ED25519")) return SignatureScheme::kEd25519;
  if (EVP_PKEY_is_a(key, "SM2")) return SignatureScheme::kSm2;
  return Status::InvalidArgument(std::string("unsupported key type ") + EVP_PKEY_get0_type_name(key) +
                                 " (expected ED25519 or SM2)");
}

Status ExtractRawPublicKey(SignatureScheme scheme, const EVP_PKEY* key, std::span<std::uint8_t> raw) {
  RC_ASSERT(raw.size() == RawPublicKeySize(scheme));
  switch (scheme) {
    case SignatureScheme::kEd25519: {
      std::size_t size = raw.size();
      if (EVP_PKEY_get_raw_public_key(key, raw.data(), &size) != 1 || size != kEd25519PublicKeySize) {
        return OpenSslFailure(ErrorCode::kInvalidArgument, "cannot read the Ed25519 public key");
      }
      return Status::Ok();
    }
    case SignatureScheme::kSm2: {
      // Read x and y rather than the encoded point, whose form (compressed or not) follows the input.
      BIGNUM* x = nullptr;
      BIGNUM* y = nullptr;
      const bool have_x = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1;
      const bool have_y = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
      BigNumberPointer x_owner(x);
      BigNumberPointer y_owner(y);
      if (!have_x || !have_y)
        return OpenSslFailure(ErrorCode::kInvalidArgument, "SM2 key has no public point");
      raw[0] = 0x04;
      if (BN_bn2binpad(x, raw.data() + 1, kSm2ScalarSize) != kSm2ScalarSize ||
          BN_bn2binpad(y, raw.data() + 1 + kSm2ScalarSize, kSm2ScalarSize) != kSm2ScalarSize) {
        return OpenSslFailure(ErrorCode::kInvalidArgument, "SM2 public point coordinates too large");
      }
      return Status::Ok();
    }
  }
  RC_UNREACHABLE();
}

bool IsSm2ScalarInRange(ByteView scalar) {
  RC_ASSERT(scalar.size() == kSm2ScalarSize);
  const bool is_zero = std::all_of(scalar.begin(), scalar.end(), [](std::uint8_t byte) { return byte == 0; });
  return !is_zero && std::memcmp(scalar.data(), Sm2Order().data(), kSm2ScalarSize) < 0;
}

Result<std::size_t> Sm2SignatureToDer(ByteView signature,
                                      std::span<std::uint8_t, kSm2DerSignatureMaxSize> der) {
  if (signature.size() != kSignatureSize) return Status::InvalidArgument("SM2 signature must be 64 bytes");
  const ByteView r = signature.first(kSm2ScalarSize);
  const ByteView s = signature.subspan(kSm2ScalarSize);
  if (!IsSm2ScalarInRange(r) || !IsSm2ScalarInRange(s)) {
    return Status::InvalidArgument("SM2 signature r or s outside [1, n-1]");
  }
  EcdsaSignaturePointer parsed(ECDSA_SIG_new());
  BIGNUM* r_number = BN_bin2bn(r.data(), static_cast<int>(r.size()), nullptr);
  BIGNUM* s_number = BN_bin2bn(s.data(), static_cast<int>(s.size()), nullptr);
  if (parsed == nullptr || r_number == nullptr || s_number == nullptr ||
      ECDSA_SIG_set0(parsed.get(), r_number, s_number) != 1) {
    BN_free(r_number);
    BN_free(s_number);
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot build SM2 signature");
  }
  const int size = i2d_ECDSA_SIG(parsed.get(), nullptr);
  RC_ASSERT(size > 0 && static_cast<std::size_t>(size) <= der.size());
  unsigned char* out = der.data();
  RC_ASSERT(i2d_ECDSA_SIG(parsed.get(), &out) == size);
  return static_cast<std::size_t>(size);
}

Result<Signature> Sm2SignatureFromDer(ByteView der) {
  const unsigned char* in = der.data();
  EcdsaSignaturePointer parsed(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())));
  if (parsed == nullptr || in != der.data() + der.size()) {
    return OpenSslFailure(ErrorCode::kInvalidArgument, "malformed DER SM2 signature");
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(parsed.get(), &r, &s);
  Signature signature;
  if (BN_is_negative(r) || BN_is_negative(s) ||
      BN_bn2binpad(r, signature.data(), kSm2ScalarSize) != kSm2ScalarSize ||
      BN_bn2binpad(s, signature.data() + kSm2ScalarSize, kSm2ScalarSize) != kSm2ScalarSize) {
    return Status::InvalidArgument("SM2 signature r or s does not fit in 32 bytes");
  }
  if (!IsSm2ScalarInRange(ByteView(signature).first(kSm2ScalarSize)) ||
      !IsSm2ScalarInRange(ByteView(signature).subspan(kSm2ScalarSize))) {
    return Status::InvalidArgument("SM2 signature r or s outside [1, n-1]");
  }
  return signature;
}

Status SetSm2DistinguishingId(EVP_PKEY_CTX* operation) {
  if (EVP_PKEY_CTX_set1_id(operation, kSm2DistinguishingId.data(),
                           static_cast<int>(kSm2DistinguishingId.size())) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot set the SM2 distinguishing ID");
  }
  return Status::Ok();
}

bool PemHasLabel(std::string_view pem, std::string_view label) {
  const std::size_t start = pem.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  pem.remove_prefix(start);
  constexpr std::string_view kBegin = "-----BEGIN ";
  constexpr std::string_view kDashes = "-----";
  if (!pem.starts_with(kBegin)) return false;
  pem.remove_prefix(kBegin.size());
  return pem.starts_with(label) && pem.substr(label.size()).starts_with(kDashes);
}

Result<PrivateKey> KeyAccess::MakePrivateKey(SignatureScheme scheme, EvpPkeyPointer key) {
  std::array<std::uint8_t, kSm2PublicKeySize> raw{};
  const std::span<std::uint8_t> raw_view(raw.data(), RawPublicKeySize(scheme));
  RC_RETURN_IF_ERROR(ExtractRawPublicKey(scheme, key.get(), raw_view));
  // The public half gets its own OpenSSL object, so copies of the PublicKey never keep the secret alive.
  RC_ASSIGN_OR_RETURN(PublicKey public_key, PublicKey::FromRaw(scheme, raw_view));
  auto state = std::make_unique<PrivateKey::State>();
  state->key = std::move(key);
  return PrivateKey(std::move(state), std::move(public_key));
}

}  // namespace rightchain::crypto::internal
