// Arbitrary bytes into everything that parses keys and signatures from outside: raw public keys
// of both schemes, public and private key PEM, signature verification (objects and notes), domain
// tags and AEAD opening. Nothing may crash, leak or trip a sanitizer; nothing forged may verify.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/assert.h"
#include "crypto/cipher.h"
#include "crypto/domain.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"

namespace rightchain::crypto {
namespace {

struct FixedKeys {
  PrivateKey ed25519 =
      PrivateKey::FromRaw(SignatureScheme::kEd25519, Bytes(kRawPrivateKeySize, 0x42)).value();
  PrivateKey sm2 = PrivateKey::FromRaw(SignatureScheme::kSm2, Bytes(kRawPrivateKeySize, 0x42)).value();
};

const FixedKeys& Keys() {
  static const FixedKeys* const keys = new FixedKeys();
  return *keys;
}

void FuzzVerify(const PublicKey& key, ByteView data) {
  // Split: the first 64 bytes (or fewer) are the signature, the rest the message body.
  const std::size_t signature_size = data.size() < kSignatureSize ? data.size() : kSignatureSize;
  const ByteView signature = data.first(signature_size);
  const ByteView body = data.subspan(signature_size);
  Bytes tagged = DomainTag("rightchain/fuzz");
  tagged.insert(tagged.end(), body.begin(), body.end());
  // Forging a signature by chance is impossible: any OK here is a bug.
  RC_ASSERT(!key.Verify(tagged, signature).ok());
  RC_ASSERT(!key.VerifyNote(AsText(body), signature).ok());
  (void)key.Verify(body, signature);  // untagged or arbitrary tag
  // The whole input as a signature of a fixed message (exercises every signature length).
  (void)key.Verify(DomainTag("rightchain/fuzz"), data);
}

}  // namespace
}  // namespace rightchain::crypto

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rightchain;
  using namespace rightchain::crypto;
  const ByteView input(data, size);
  const std::string_view text = AsText(input);

  for (SignatureScheme scheme : {SignatureScheme::kEd25519, SignatureScheme::kSm2}) {
    const Result<PublicKey> key = PublicKey::FromRaw(scheme, input);
    if (key.ok()) {
      RC_ASSERT(key->raw().size() == RawPublicKeySize(scheme));
      RC_ASSERT(PublicKey::FromRaw(scheme, key->raw()).value() == *key);
    }
  }
  (void)PublicKey::FromPem(text);
  (void)PrivateKey::FromPem(text, "fuzz");
  (void)PrivateKey::FromPem(text, "");
  (void)ParseDomainTag(input);

  FuzzVerify(Keys().ed25519.public_key(), input);
  FuzzVerify(Keys().sm2.public_key(), input);

  const Bytes key(32, 0x07);
  const Bytes nonce(kAeadNonceSize, 0x01);
  RC_ASSERT(!Open(CipherAlgorithm::kAes256Gcm, key, nonce, {}, input).ok());
  RC_ASSERT(!Open(CipherAlgorithm::kSm4Gcm, ByteView(key).first(16), nonce, {}, input).ok());
  return 0;
}
