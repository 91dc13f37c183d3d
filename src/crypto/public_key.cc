#include "crypto/public_key.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

#include <algorithm>

#include "crypto/domain.h"
#include "crypto/hash.h"
#include "crypto/key_internal.h"

namespace rightchain::crypto {

using internal::EvpMdContextPointer;
using internal::EvpPkeyContextPointer;
using internal::EvpPkeyPointer;
using internal::OpenSslFailure;

namespace {

constexpr std::string_view kKeyIdDomainType = "rightchain/key-id";

Result<EvpPkeyPointer> ParseRawEd25519(ByteView raw) {
  if (raw.size() != kEd25519PublicKeySize)
    return Status::InvalidArgument("Ed25519 public key must be 32 bytes");
  EvpPkeyPointer key(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, raw.data(), raw.size()));
  if (key == nullptr) return OpenSslFailure(ErrorCode::kInvalidArgument, "invalid Ed25519 public key");
  return key;
}

// Builds an SM2 key from the curve name and an encoded point. Slow (about 50 µs: OpenSSL builds
// the curve's group from its table every time), so it only makes the template below.
Result<EvpPkeyPointer> Sm2KeyFromParameters(ByteView encoded_point) {
  char group_name[] = "SM2";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0),
      OSSL_PARAM_construct_octet_string(
          OSSL_PKEY_PARAM_PUB_KEY, const_cast<std::uint8_t*>(encoded_point.data()), encoded_point.size()),
      OSSL_PARAM_construct_end(),
  };
  EvpPkeyContextPointer context(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  if (context == nullptr || EVP_PKEY_fromdata_init(context.get()) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot create an SM2 key");
  }
  EVP_PKEY* parsed = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &parsed, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) != 1) {
    return OpenSslFailure(ErrorCode::kInvalidArgument, "SM2 public key is not a point on the curve");
  }
  return EvpPkeyPointer(parsed);
}

// An SM2 public key (the generator) whose copies get their point replaced: copying the group is
// several times cheaper than building it, and on-chain keys are parsed once per transaction.
const EVP_PKEY* Sm2Template() {
  static const EVP_PKEY* const key = [] {
    internal::EcGroupPointer group(EC_GROUP_new_by_curve_name(NID_sm2));
    RC_ASSERT_MSG(group != nullptr, "OpenSSL lacks the SM2 curve");
    std::array<std::uint8_t, kSm2PublicKeySize> generator{};
    RC_ASSERT(EC_POINT_point2oct(group.get(), EC_GROUP_get0_generator(group.get()),
                                 POINT_CONVERSION_UNCOMPRESSED, generator.data(), generator.size(),
                                 nullptr) == generator.size());
    Result<EvpPkeyPointer> made = Sm2KeyFromParameters(generator);
    RC_ASSERT_MSG(made.ok(), made.status().ToString());
    return std::move(made).value().release();  // lives for the whole process
  }();
  return key;
}

Result<EvpPkeyPointer> ParseRawSm2(ByteView raw) {
  if (raw.size() != kSm2PublicKeySize || raw[0] != 0x04) {
    return Status::InvalidArgument("SM2 public key must be 65 bytes 0x04‖x‖y");
  }
  EvpPkeyPointer key(EVP_PKEY_dup(const_cast<EVP_PKEY*>(Sm2Template())));
  if (key == nullptr) return OpenSslFailure(ErrorCode::kCryptoError, "cannot create an SM2 key");
  // Decoding the point checks that it lies on the curve.
  if (EVP_PKEY_set1_encoded_public_key(key.get(), raw.data(), raw.size()) != 1) {
    return OpenSslFailure(ErrorCode::kInvalidArgument, "SM2 public key is not a point on the curve");
  }
  // Belt and braces: not the point at infinity, coordinates in range, on the curve. The group's
  // cofactor is 1, so this is the full public-key validation.
  EvpPkeyContextPointer check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (check == nullptr || EVP_PKEY_public_check_quick(check.get()) != 1) {
    return OpenSslFailure(ErrorCode::kInvalidArgument, "SM2 public key fails validation");
  }
  return key;
}

}  // namespace

Result<KeyId> ComputeKeyId(SignatureScheme scheme, ByteView raw_public_key) {
  if (scheme != SignatureScheme::kEd25519 && scheme != SignatureScheme::kSm2) {
    return Status::InvalidArgument("unknown signature scheme");
  }
  if (raw_public_key.size() != RawPublicKeySize(scheme)) {
    return Status::InvalidArgument("raw public key has the wrong size for its scheme");
  }
  // tag ‖ scheme byte ‖ raw key, hashed in one shot from the stack.
  std::array<std::uint8_t, kDomainTagMaxSize + 1 + kSm2PublicKeySize> input;
  static const Bytes tag = DomainTag(kKeyIdDomainType);  // the same for every key: built once
  std::size_t size = 0;
  std::copy(tag.begin(), tag.end(), input.begin());
  size += tag.size();
  input[size++] = static_cast<std::uint8_t>(scheme);
  std::copy(raw_public_key.begin(), raw_public_key.end(), input.begin() + size);
  size += raw_public_key.size();
  return Hash(SchemeHashAlgorithm(scheme), ByteView(input.data(), size));
}

Result<PublicKey> PublicKey::FromRaw(SignatureScheme scheme, ByteView raw) {
  switch (scheme) {
    case SignatureScheme::kEd25519: {
      RC_ASSIGN_OR_RETURN(EvpPkeyPointer key, ParseRawEd25519(raw));
      return internal::KeyAccess::MakePublicKey(scheme, std::move(key), raw);
    }
    case SignatureScheme::kSm2: {
      RC_ASSIGN_OR_RETURN(EvpPkeyPointer key, ParseRawSm2(raw));
      return internal::KeyAccess::MakePublicKey(scheme, std::move(key), raw);
    }
  }
  return Status::InvalidArgument("unknown signature scheme");
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  if (pem.size() > internal::kPemMaxSizeBytes) return Status::InvalidArgument("public key PEM too large");
  if (!internal::PemHasLabel(pem, "PUBLIC KEY")) return Status::InvalidArgument("not a PEM \"PUBLIC KEY\"");
  internal::BioPointer bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return OpenSslFailure(ErrorCode::kCryptoError, "cannot read PEM");
  EvpPkeyPointer parsed(PEM_read_bio_PUBKEY_ex(bio.get(), nullptr, nullptr, nullptr, nullptr, nullptr));
  if (parsed == nullptr) return OpenSslFailure(ErrorCode::kInvalidArgument, "malformed public key PEM");
  RC_ASSIGN_OR_RETURN(const SignatureScheme scheme, internal::SchemeOfKey(parsed.get()));
  // Re-import from the raw bytes so that PEM keys get exactly the checks raw keys get.
  std::array<std::uint8_t, kSm2PublicKeySize> raw{};
  const std::span<std::uint8_t> raw_view(raw.data(), RawPublicKeySize(scheme));
  RC_RETURN_IF_ERROR(internal::ExtractRawPublicKey(scheme, parsed.get(), raw_view));
  return FromRaw(scheme, raw_view);
}

Result<std::string> PublicKey::ToPem() const {
  internal::BioPointer bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), state_->key.get()) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot write public key PEM");
  }
  return internal::BioContents(bio.get());
}

SignatureScheme PublicKey::scheme() const {
  return state_->scheme;
}

ByteView PublicKey::raw() const {
  return ByteView(state_->raw.data(), state_->raw_size);
}

const KeyId& PublicKey::key_id() const {
  return state_->key_id;
}

bool operator==(const PublicKey& a, const PublicKey& b) {
  return a.scheme() == b.scheme() && std::ranges::equal(a.raw(), b.raw());
}

Status PublicKey::Verify(ByteView message, ByteView signature) const {
  RC_RETURN_IF_ERROR(CheckSignableObject(message));
  return VerifyBytes(message, signature);
}

Status PublicKey::VerifyNote(std::string_view text, ByteView signature) const {
  RC_RETURN_IF_ERROR(CheckSignableNote(text));
  return VerifyBytes(AsBytes(text), signature);
}

Status PublicKey::VerifyBytes(ByteView message, ByteView signature) const {
  if (signature.size() != kSignatureSize) return Status::InvalidArgument("signature must be 64 bytes");
  EvpMdContextPointer context(EVP_MD_CTX_new());
  if (context == nullptr) return OpenSslFailure(ErrorCode::kCryptoError, "out of memory");
  EVP_PKEY* key = state_->key.get();
  int verified = 0;
  switch (state_->scheme) {
    case SignatureScheme::kEd25519: {
      // PureEdDSA: no separate digest.
      if (EVP_DigestVerifyInit_ex(context.get(), nullptr, nullptr, nullptr, nullptr, key, nullptr) != 1) {
        return OpenSslFailure(ErrorCode::kCryptoError, "cannot start Ed25519 verification");
      }
      verified = EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                                  internal::DataOrEmpty(message), message.size());
      break;
    }
    case SignatureScheme::kSm2: {
      std::array<std::uint8_t, internal::kSm2DerSignatureMaxSize> der;
      RC_ASSIGN_OR_RETURN(const std::size_t der_size, internal::Sm2SignatureToDer(signature, der));
      EVP_PKEY_CTX* operation = nullptr;  // owned by `context`
      if (EVP_DigestVerifyInit_ex(context.get(), &operation, "SM3", nullptr, nullptr, key, nullptr) != 1) {
        return OpenSslFailure(ErrorCode::kCryptoError, "cannot start SM2 verification");
      }
      RC_RETURN_IF_ERROR(internal::SetSm2DistinguishingId(operation));
      verified = EVP_DigestVerify(context.get(), der.data(), der_size, internal::DataOrEmpty(message),
                                  message.size());
      break;
    }
  }
  if (verified != 1) {
    return OpenSslFailure(ErrorCode::kVerificationFailed,
                          std::string(SignatureSchemeName(state_->scheme)) + " signature does not verify");
  }
  return Status::Ok();
}

namespace internal {

PublicKey KeyAccess::MakePublicKey(SignatureScheme scheme, EvpPkeyPointer key, ByteView raw) {
  RC_ASSERT(key != nullptr && raw.size() == RawPublicKeySize(scheme));
  auto state = std::make_shared<PublicKey::State>();
  state->scheme = scheme;
  state->key = std::move(key);
  state->raw_size = raw.size();
  std::copy(raw.begin(), raw.end(), state->raw.begin());
  state->key_id = ComputeKeyId(scheme, raw).value();
  return PublicKey(std::move(state));
}

Status VerifyUntagged(const PublicKey& key, ByteView message, ByteView signature) {
  return key.VerifyBytes(message, signature);
}
}  // namespace internal

}  // namespace rightchain::crypto
