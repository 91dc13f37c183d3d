#include "crypto/public_key_cache.h"

#include <gtest/gtest.h>

#include "crypto/domain.h"
#include "crypto/private_key.h"

namespace rightchain::crypto {
namespace {

Bytes RawOf(const PrivateKey& key) {
  const ByteView raw = key.public_key().raw();
  return Bytes(raw.begin(), raw.end());
}

TEST(PublicKeyCacheTest, ReturnsTheSameKeyAsParsingAndKeepsAtMostItsCapacity) {
  PublicKeyCache cache(3);
  for (const SignatureScheme scheme : {SignatureScheme::kEd25519, SignatureScheme::kSm2}) {
    const PrivateKey key = PrivateKey::Generate(scheme).value();
    const Bytes raw = RawOf(key);
    const Result<PublicKey> first = cache.Get(scheme, raw);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    const Result<PublicKey> again = cache.Get(scheme, raw);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*first, key.public_key());
    EXPECT_EQ(*again, key.public_key());
    EXPECT_EQ(again->key_id(), key.public_key().key_id());
    // The cached key checks signatures as the parsed one does.
    Bytes message = DomainTag("rightchain/test");
    message.push_back(42);
    const auto signature = key.Sign(message);
    ASSERT_TRUE(signature.ok());
    EXPECT_TRUE(again->Verify(message, *signature).ok());
  }
  EXPECT_EQ(cache.size(), 2u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        cache.Get(SignatureScheme::kEd25519, RawOf(PrivateKey::Generate(SignatureScheme::kEd25519).value()))
            .ok());
    EXPECT_LE(cache.size(), 3u);
  }
}

TEST(PublicKeyCacheTest, RefusesWhatParsingRefusesAndKeepsNothingOfIt) {
  PublicKeyCache cache(4);
  const Bytes short_key(31, 7);
  EXPECT_FALSE(cache.Get(SignatureScheme::kEd25519, short_key).ok());
  Bytes not_on_curve(65, 1);
  not_on_curve[0] = 0x04;
  EXPECT_FALSE(cache.Get(SignatureScheme::kSm2, not_on_curve).ok());
  EXPECT_EQ(cache.size(), 0u);
  // The same bytes under the other scheme are another key.
  const PrivateKey key = PrivateKey::Generate(SignatureScheme::kEd25519).value();
  EXPECT_FALSE(cache.Get(SignatureScheme::kSm2, RawOf(key)).ok());
  EXPECT_TRUE(cache.Get(SignatureScheme::kEd25519, RawOf(key)).ok());
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace rightchain::crypto
