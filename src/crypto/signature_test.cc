#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "crypto/domain.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"
#include "crypto/signature_internal.h"

namespace rightchain::crypto {
namespace {

Bytes Hex(std::string_view hex) {
  return HexDecode(hex).value();
}

Bytes Tagged(std::string_view type, std::string_view body) {
  Bytes message = DomainTag(type);
  message.insert(message.end(), body.begin(), body.end());
  return message;
}

// The SM2 generator G (GB/T 32918.5), i.e. the public key of d = 1.
constexpr std::string_view kSm2GeneratorHex =
    "0432c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"
    "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0";
// The SM2 group order n.
constexpr std::string_view kSm2OrderHex = "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123";

// ---- Ed25519 known answers: RFC 8032 §7.1 ----

struct Ed25519Vector {
  const char* name;
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

const Ed25519Vector kRfc8032Vectors[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f"
     "0595bbe24"
     "655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2ea"
     "eb4302aee"
     "b00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e"
     "9716ed28d"
     "c027beceea1ec40a"},
    {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d442"
     "3643ce80e"
     "2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179"
     "c138ac17a"
     "d9bef1177331a704"},
};

TEST(Ed25519Test, Rfc8032KnownAnswers) {
  for (const Ed25519Vector& vector : kRfc8032Vectors) {
    const PrivateKey key = PrivateKey::FromRaw(SignatureScheme::kEd25519, Hex(vector.secret)).value();
    EXPECT_EQ(HexEncode(key.public_key().raw()), vector.public_key) << vector.name;
    const Signature signature = internal::SignUntagged(key, Hex(vector.message)).value();
    EXPECT_EQ(HexEncode(signature), vector.signature) << vector.name;

    const PublicKey public_key =
        PublicKey::FromRaw(SignatureScheme::kEd25519, Hex(vector.public_key)).value();
    EXPECT_TRUE(internal::VerifyUntagged(public_key, Hex(vector.message), Hex(vector.signature)).ok())
        << vector.name;
    Bytes other_message = Hex(vector.message);
    other_message.push_back(0);
    EXPECT_EQ(internal::VerifyUntagged(public_key, other_message, Hex(vector.signature)).code(),
              ErrorCode::kVerificationFailed)
        << vector.name;
  }
}

// SM2 private key import derives Q = dG: for d = 1 that is the generator of the standard curve.
TEST(Sm2Test, RawPrivateKeyOneHasTheGeneratorAsPublicKey) {
  Bytes one(32, 0);
  one[31] = 1;
  const PrivateKey key = PrivateKey::FromRaw(SignatureScheme::kSm2, one).value();
  EXPECT_EQ(HexEncode(key.public_key().raw()), kSm2GeneratorHex);
}

TEST(Sm2Test, RawPrivateScalarMustBeInRange) {
  const Bytes order = Hex(kSm2OrderHex);
  Bytes n_minus_one = order;
  n_minus_one[31] -= 1;
  Bytes n_minus_two = order;
  n_minus_two[31] -= 2;
  EXPECT_TRUE(PrivateKey::FromRaw(SignatureScheme::kSm2, n_minus_two).ok());
  for (const Bytes& bad : {Bytes(32, 0), n_minus_one, order, Bytes(32, 0xff), Bytes(31, 1), Bytes(33, 1)}) {
    const Result<PrivateKey> key = PrivateKey::FromRaw(SignatureScheme::kSm2, bad);
    ASSERT_FALSE(key.ok()) << HexEncode(bad);
    EXPECT_EQ(key.status().code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(PrivateKey::FromRaw(SignatureScheme::kEd25519, Bytes(31, 1)).ok());
}

// ---- Key ids ----

// Golden values computed independently (Python hashlib for SHA-256, the openssl CLI for SM3) over
// 00 11 "rightchain/key-id" ‖ scheme byte ‖ raw key.
TEST(KeyIdTest, GoldenValues) {
  const PublicKey ed25519 =
      PublicKey::FromRaw(SignatureScheme::kEd25519, Hex(kRfc8032Vectors[0].public_key)).value();
  EXPECT_EQ(HexEncode(ed25519.key_id()), "05380e5ba63d30346cce8683848a7991b0a64c8028a08bbbfbdb24de1e881253");
  const PublicKey sm2 = PublicKey::FromRaw(SignatureScheme::kSm2, Hex(kSm2GeneratorHex)).value();
  EXPECT_EQ(HexEncode(sm2.key_id()), "ae4d3222e6192840f96dfa70f72372e45ae93df40040ae3e6a67bfb859b442e8");
  EXPECT_EQ(ComputeKeyId(SignatureScheme::kSm2, sm2.raw()).value(), sm2.key_id());
  EXPECT_EQ(ComputeKeyId(SignatureScheme::kSm2, ed25519.raw()).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ComputeKeyId(SignatureScheme::kEd25519, sm2.raw()).status().code(), ErrorCode::kInvalidArgument);
}

// ---- Both schemes ----

class SignatureSchemeTest : public testing::TestWithParam<SignatureScheme> {
 protected:
  SignatureScheme scheme() const { return GetParam(); }
  PrivateKey NewKey() const { return PrivateKey::Generate(scheme()).value(); }
};

TEST_P(SignatureSchemeTest, SignAndVerifyTaggedObject) {
  const PrivateKey key = NewKey();
  EXPECT_EQ(key.scheme(), scheme());
  EXPECT_EQ(key.public_key().raw().size(), RawPublicKeySize(scheme()));
  const Bytes message = Tagged("rightchain/test", "payload");
  const Signature signature = key.Sign(message).value();
  EXPECT_TRUE(key.public_key().Verify(message, signature).ok());
  // A tag with an empty body is a valid object too.
  const Bytes empty_body = DomainTag("rightchain/test");
  EXPECT_TRUE(key.public_key().Verify(empty_body, key.Sign(empty_body).value()).ok());
}

TEST_P(SignatureSchemeTest, SignAndVerifyNote) {
  const PrivateKey key = NewKey();
  const std::string note = "example.com/log\n42\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n";
  const Signature signature = key.SignNote(note).value();
  EXPECT_TRUE(key.public_key().VerifyNote(note, signature).ok());
  EXPECT_EQ(key.public_key()
                .VerifyNote("example.com/log\n43\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n", signature)
                .code(),
            ErrorCode::kVerificationFailed);
}

TEST_P(SignatureSchemeTest, TamperedSignatureMessageOrKeyFails) {
  const PrivateKey key = NewKey();
  const PublicKey& public_key = key.public_key();
  const Bytes message = Tagged("rightchain/test", "the work is mine");
  const Signature signature = key.Sign(message).value();

  // Flip the lowest bit of each half's last byte: the scalars stay in range, so this must be a
  // verification failure rather than a format error.
  for (std::size_t index : {31u, 63u}) {
    Signature tampered = signature;
    tampered[index] ^= 0x01;
    EXPECT_EQ(public_key.Verify(message, tampered).code(), ErrorCode::kVerificationFailed) << index;
  }
  Bytes other_message = message;
  other_message.back() ^= 0x01;
  EXPECT_EQ(public_key.Verify(other_message, signature).code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(public_key.Verify(Tagged("rightchain/other", "the work is mine"), signature).code(),
            ErrorCode::kVerificationFailed);
  EXPECT_EQ(NewKey().public_key().Verify(message, signature).code(), ErrorCode::kVerificationFailed);
}

TEST_P(SignatureSchemeTest, MalformedSignaturesAreInvalidArguments) {
  const PrivateKey key = NewKey();
  const Bytes message = Tagged("rightchain/test", "x");
  const Signature signature = key.Sign(message).value();
  for (std::size_t size : {0, 1, 63, 65, 72}) {
    Bytes wrong_size(signature.begin(), signature.end());
    wrong_size.resize(size, 0x30);
    EXPECT_EQ(key.public_key().Verify(message, wrong_size).code(), ErrorCode::kInvalidArgument) << size;
  }
}

TEST_P(SignatureSchemeTest, DomainSeparationIsEnforced) {
  const PrivateKey key = NewKey();
  const PublicKey& public_key = key.public_key();
  for (const Bytes& untagged : {Bytes{}, ToBytes("hello"), Bytes{0x00}, Bytes{0x00, 0x00},
                                Bytes{0x00, 0x05, 'a'}, Bytes{0x01, 0x01, 'a'}, ToBytes("note\n")}) {
    const Result<Signature> signed_untagged = key.Sign(untagged);
    ASSERT_FALSE(signed_untagged.ok()) << HexEncode(untagged);
    EXPECT_EQ(signed_untagged.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(public_key.Verify(untagged, Signature{}).code(), ErrorCode::kInvalidArgument);
  }
  for (std::string_view bad_note :
       {std::string_view(""), std::string_view("no newline"), std::string_view("\0tagged\n", 8),
        std::string_view("\0\x05hello\n", 8)}) {
    EXPECT_EQ(key.SignNote(bad_note).status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(public_key.VerifyNote(bad_note, Signature{}).code(), ErrorCode::kInvalidArgument);
  }

  // A note signature is never accepted for a binary object, and the reverse.
  const std::string note = "rightchain checkpoint\n7\n";
  const Signature note_signature = key.SignNote(note).value();
  EXPECT_FALSE(public_key.Verify(AsBytes(note), note_signature).ok());
  EXPECT_EQ(public_key.Verify(Tagged("rightchain/checkpoint", note), note_signature).code(),
            ErrorCode::kVerificationFailed);
  const Bytes object = Tagged("rightchain/checkpoint", note);
  const Signature object_signature = key.Sign(object).value();
  EXPECT_FALSE(public_key.VerifyNote(AsText(object), object_signature).ok());
  EXPECT_EQ(public_key.VerifyNote(note, object_signature).code(), ErrorCode::kVerificationFailed);
}

TEST_P(SignatureSchemeTest, RawPublicKeyRoundTrip) {
  const PrivateKey key = NewKey();
  const PublicKey copy = PublicKey::FromRaw(scheme(), key.public_key().raw()).value();
  EXPECT_EQ(copy, key.public_key());
  EXPECT_EQ(copy.key_id(), key.public_key().key_id());
  EXPECT_EQ(copy.key_id(), ComputeKeyId(scheme(), key.public_key().raw()).value());
  EXPECT_NE(copy.key_id(), NewKey().public_key().key_id());
  const Bytes message = Tagged("rightchain/test", "raw");
  EXPECT_TRUE(copy.Verify(message, key.Sign(message).value()).ok());
}

TEST_P(SignatureSchemeTest, PemRoundTrips) {
  const PrivateKey key = NewKey();
  const std::string private_pem = key.ToPem("correct horse battery staple").value();
  EXPECT_TRUE(private_pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")) << private_pem;
  const PrivateKey reloaded = PrivateKey::FromPem(private_pem, "correct horse battery staple").value();
  EXPECT_EQ(reloaded.public_key(), key.public_key());
  const Bytes message = Tagged("rightchain/test", "pem");
  EXPECT_TRUE(key.public_key().Verify(message, reloaded.Sign(message).value()).ok());

  const Result<PrivateKey> wrong = PrivateKey::FromPem(private_pem, "correct horse battery stapler");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(PrivateKey::FromPem(private_pem, "").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(key.ToPem("").status().code(), ErrorCode::kInvalidArgument);

  const std::string public_pem = key.public_key().ToPem().value();
  EXPECT_TRUE(public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n")) << public_pem;
  const PublicKey public_key = PublicKey::FromPem(public_pem).value();
  EXPECT_EQ(public_key, key.public_key());
  EXPECT_EQ(public_key.scheme(), scheme());
  // A public key PEM is not a private key, nor the reverse.
  EXPECT_FALSE(PrivateKey::FromPem(public_pem, "x").ok());
  EXPECT_FALSE(PublicKey::FromPem(private_pem).ok());
}

TEST_P(SignatureSchemeTest, MalformedPemIsRejected) {
  const PrivateKey key = NewKey();
  const std::string private_pem = key.ToPem("secret").value();
  const std::string public_pem = key.public_key().ToPem().value();
  for (std::size_t cut : {std::size_t{0}, std::size_t{10}, private_pem.size() / 2, private_pem.size() - 30}) {
    EXPECT_FALSE(PrivateKey::FromPem(private_pem.substr(0, cut), "secret").ok()) << cut;
  }
  for (std::size_t cut : {std::size_t{0}, std::size_t{10}, public_pem.size() / 2, public_pem.size() - 30}) {
    EXPECT_FALSE(PublicKey::FromPem(public_pem.substr(0, cut)).ok()) << cut;
  }
  std::string corrupted = public_pem;
  corrupted[40] = corrupted[40] == 'A' ? 'B' : 'A';
  const Result<PublicKey> parsed = PublicKey::FromPem(corrupted);
  // Either rejected, or (if the change hit key bytes that still decode) a different, valid key.
  if (parsed.ok()) {
    EXPECT_NE(*parsed, key.public_key());
  }
  EXPECT_FALSE(PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n").ok());
  EXPECT_FALSE(PublicKey::FromPem(std::string(20000, 'A')).ok());
}

TEST_P(SignatureSchemeTest, KeysAreUsableFromManyThreads) {
  const PrivateKey key = NewKey();
  const Bytes message = Tagged("rightchain/test", "threads");
  const Signature signature = key.Sign(message).value();
  const PublicKey shared = key.public_key();
  std::vector<std::thread> threads;
  std::vector<int> verified(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const PublicKey copy = shared;  // copies share the parsed key
      for (int i = 0; i < 20; ++i) {
        const PublicKey parsed = PublicKey::FromRaw(scheme(), shared.raw()).value();
        const bool ok = copy.Verify(message, signature).ok() && parsed.Verify(message, signature).ok() &&
                        shared.Verify(message, key.Sign(message).value()).ok();
        verified[t] += ok ? 1 : 0;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : verified) EXPECT_EQ(count, 20);
}

INSTANTIATE_TEST_SUITE_P(BothSchemes, SignatureSchemeTest,
                         testing::Values(SignatureScheme::kEd25519, SignatureScheme::kSm2),
                         [](const testing::TestParamInfo<SignatureScheme>& param_info) {
                           return param_info.param == SignatureScheme::kEd25519 ? "Ed25519" : "Sm2";
                         });

// ---- Malformed raw keys and SM2 signatures ----

TEST(RawPublicKeyTest, RejectsMalformedKeys) {
  const auto rejected = [](SignatureScheme scheme, const Bytes& raw) {
    const Result<PublicKey> key = PublicKey::FromRaw(scheme, raw);
    return !key.ok() && key.status().code() == ErrorCode::kInvalidArgument;
  };
  EXPECT_TRUE(rejected(SignatureScheme::kEd25519, {}));
  EXPECT_TRUE(rejected(SignatureScheme::kEd25519, Bytes(31, 1)));
  EXPECT_TRUE(rejected(SignatureScheme::kEd25519, Bytes(33, 1)));
  EXPECT_TRUE(rejected(SignatureScheme::kSm2, {}));
  EXPECT_TRUE(rejected(SignatureScheme::kSm2, Bytes(65, 0)));     // point at infinity / bad prefix
  EXPECT_TRUE(rejected(SignatureScheme::kSm2, Bytes(65, 0xff)));  // coordinates ≥ p
  Bytes generator = Hex(kSm2GeneratorHex);
  EXPECT_FALSE(rejected(SignatureScheme::kSm2, generator));
  Bytes off_curve = generator;
  off_curve[64] ^= 0x01;  // y + 1: not on the curve
  EXPECT_TRUE(rejected(SignatureScheme::kSm2, off_curve));
  Bytes compressed(generator.begin(), generator.begin() + 33);
  compressed[0] = 0x02 | (generator[64] & 1);  // a valid compressed encoding, but raw keys are uncompressed
  EXPECT_TRUE(rejected(SignatureScheme::kSm2, compressed));
  Bytes wrong_prefix = generator;
  wrong_prefix[0] = 0x06;  // "hybrid" encoding
  EXPECT_TRUE(rejected(SignatureScheme::kSm2, wrong_prefix));
  Bytes truncated(generator.begin(), generator.end() - 1);
  EXPECT_TRUE(rejected(SignatureScheme::kSm2, truncated));
  EXPECT_TRUE(rejected(static_cast<SignatureScheme>(9), Bytes(32, 1)));
}

TEST(Sm2Test, ScalarsOutOfRangeAreInvalidArguments) {
  const PrivateKey key = PrivateKey::Generate(SignatureScheme::kSm2).value();
  const Bytes message = Tagged("rightchain/test", "range");
  const Signature signature = key.Sign(message).value();
  const Bytes order = Hex(kSm2OrderHex);
  const auto with_r = [&](const Bytes& r) {
    Bytes changed(signature.begin(), signature.end());
    std::copy(r.begin(), r.end(), changed.begin());
    return changed;
  };
  const auto with_s = [&](const Bytes& s) {
    Bytes changed(signature.begin(), signature.end());
    std::copy(s.begin(), s.end(), changed.begin() + 32);
    return changed;
  };
  for (const Bytes& bad : {Bytes(32, 0), order, Bytes(32, 0xff)}) {
    EXPECT_EQ(key.public_key().Verify(message, with_r(bad)).code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(key.public_key().Verify(message, with_s(bad)).code(), ErrorCode::kInvalidArgument);
  }
  Bytes n_minus_one = order;
  n_minus_one[31] -= 1;
  EXPECT_EQ(key.public_key().Verify(message, with_r(n_minus_one)).code(), ErrorCode::kVerificationFailed);
}

TEST(CrossSchemeTest, SignaturesDoNotCrossSchemes) {
  const PrivateKey ed25519 = PrivateKey::Generate(SignatureScheme::kEd25519).value();
  const PrivateKey sm2 = PrivateKey::Generate(SignatureScheme::kSm2).value();
  const Bytes message = Tagged("rightchain/test", "cross");
  EXPECT_FALSE(sm2.public_key().Verify(message, ed25519.Sign(message).value()).ok());
  EXPECT_FALSE(ed25519.public_key().Verify(message, sm2.Sign(message).value()).ok());
  EXPECT_FALSE(ed25519.public_key() == sm2.public_key());
}

// A P-256 key is well-formed PEM but not one of our schemes.
TEST(PemTest, RejectsOtherAlgorithms) {
  const std::string p256 =
      "-----BEGIN PUBLIC KEY-----\n"
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHVr5Xap3d1l69rgKcylM3/anjTFQ\n"
      "IDqobC5oeO9zPBdxXaal+6MnrxdoYofn2GOQNuXnoT2QtbJ28/C9XmjaLg==\n"
      "-----END PUBLIC KEY-----\n";
  const Result<PublicKey> key = PublicKey::FromPem(p256);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace rightchain::crypto
