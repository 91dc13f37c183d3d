#include "crypto/cipher.h"

#include <gcrypt.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "crypto/gcrypt_init.h"

namespace rightchain::crypto {
namespace {

Bytes Hex(std::string_view hex) {
  return HexDecode(hex).value();
}

struct AeadVector {
  const char* name;
  CipherAlgorithm algorithm;
  const char* key;
  const char* nonce;
  const char* associated_data;
  const char* plaintext;
  const char* ciphertext;
  const char* tag;
};

// AES-256-GCM: test cases 13, 14 and 16 of McGrew & Viega, "The Galois/Counter Mode of Operation"
// (the vectors NIST's GCM submission and SP 800-38D validation use).
// SM4-GCM: RFC 8998 Appendix A.1.
const AeadVector kAeadVectors[] = {
    {"aes-256-gcm case 13 (empty)", CipherAlgorithm::kAes256Gcm,
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "",
     "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"aes-256-gcm case 14", CipherAlgorithm::kAes256Gcm,
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "",
     "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"aes-256-gcm case 16 (with associated data)", CipherAlgorithm::kAes256Gcm,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf"
     "5aa0de657ba"
     "637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6"
     "393ba7a0a"
     "bcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    {"sm4-gcm RFC 8998 A.1", CipherAlgorithm::kSm4Gcm, "0123456789ABCDEFFEDCBA9876543210",
     "00001234567800000000ABCD", "FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2",
     "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEE"
     "EEEEEEEEE"
     "AAAAAAAAAAAAAAAA",
     "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834C"
     "BCF98C397"
     "B4024A2691233B8D",
     "83DE3541E4C2B58177E065A9BF7B62EC"},
};

TEST(AeadTest, KnownAnswerSeal) {
  for (const AeadVector& vector : kAeadVectors) {
    const Result<Bytes> sealed = Seal(vector.algorithm, Hex(vector.key), Hex(vector.nonce),
                                      Hex(vector.associated_data), Hex(vector.plaintext));
    ASSERT_TRUE(sealed.ok()) << vector.name << ": " << sealed.status().ToString();
    EXPECT_EQ(HexEncode(*sealed), HexEncode(Hex(std::string(vector.ciphertext) + vector.tag))) << vector.name;
  }
}

TEST(AeadTest, KnownAnswerOpen) {
  for (const AeadVector& vector : kAeadVectors) {
    const Result<Bytes> opened =
        Open(vector.algorithm, Hex(vector.key), Hex(vector.nonce), Hex(vector.associated_data),
             Hex(std::string(vector.ciphertext) + vector.tag));
    ASSERT_TRUE(opened.ok()) << vector.name << ": " << opened.status().ToString();
    EXPECT_EQ(HexEncode(*opened), HexEncode(Hex(vector.plaintext))) << vector.name;
  }
}

// GB/T 32907-2016 Appendix A, example 1: one SM4 block. The SM4 primitive under our SM4-GCM is
// libgcrypt's, so this checks that primitive directly (ECB of one block is the bare cipher).
TEST(Sm4Test, BlockCipherStandardExample) {
  ASSERT_TRUE(internal::InitializeGcrypt().ok());
  const Bytes key = Hex("0123456789abcdeffedcba9876543210");
  const Bytes plaintext = Hex("0123456789abcdeffedcba9876543210");
  gcry_cipher_hd_t handle = nullptr;
  ASSERT_EQ(gcry_cipher_open(&handle, GCRY_CIPHER_SM4, GCRY_CIPHER_MODE_ECB, 0), 0u);
  ASSERT_EQ(gcry_cipher_setkey(handle, key.data(), key.size()), 0u);
  Bytes ciphertext(16);
  ASSERT_EQ(
      gcry_cipher_encrypt(handle, ciphertext.data(), ciphertext.size(), plaintext.data(), plaintext.size()),
      0u);
  EXPECT_EQ(HexEncode(ciphertext), "681edf34d206965e86b3e94f536e4246");
  gcry_cipher_close(handle);
}

class AeadAlgorithmTest : public testing::TestWithParam<CipherAlgorithm> {
 protected:
  Bytes Key() const { return RandomBytes(CipherKeySize(GetParam())).value(); }
};

TEST_P(AeadAlgorithmTest, RoundTripsAllSizes) {
  const Bytes key = Key();
  const Bytes nonce = RandomBytes(kAeadNonceSize).value();
  for (std::size_t size : {0, 1, 15, 16, 17, 1000, 65536}) {
    const Bytes plaintext = RandomBytes(size).value();
    const Bytes associated = ToBytes("header " + std::to_string(size));
    const Bytes sealed = Seal(GetParam(), key, nonce, associated, plaintext).value();
    ASSERT_EQ(sealed.size(), size + kAeadTagSize);
    EXPECT_EQ(Open(GetParam(), key, nonce, associated, sealed).value(), plaintext) << size;
  }
}

TEST_P(AeadAlgorithmTest, AnyChangeFailsVerification) {
  const Bytes key = Key();
  const Bytes nonce = RandomBytes(kAeadNonceSize).value();
  const Bytes associated = ToBytes("associated");
  const Bytes sealed = Seal(GetParam(), key, nonce, associated, ToBytes("attack at dawn")).value();
  const auto expect_rejected = [&](ByteView k, ByteView n, ByteView a, ByteView s, const char* what) {
    const Result<Bytes> opened = Open(GetParam(), k, n, a, s);
    ASSERT_FALSE(opened.ok()) << what;
    EXPECT_EQ(opened.status().code(), ErrorCode::kVerificationFailed)
        << what << ": " << opened.status().ToString();
  };
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    Bytes tampered = sealed;
    tampered[i] ^= 0x01;
    expect_rejected(key, nonce, associated, tampered, "flipped ciphertext or tag bit");
  }
  Bytes other_key = key;
  other_key[0] ^= 0x80;
  expect_rejected(other_key, nonce, associated, sealed, "other key");
  Bytes other_nonce = nonce;
  other_nonce[11] ^= 0x01;
  expect_rejected(key, other_nonce, associated, sealed, "other nonce");
  expect_rejected(key, nonce, ToBytes("associatee"), sealed, "other associated data");
  expect_rejected(key, nonce, {}, sealed, "missing associated data");
}

TEST_P(AeadAlgorithmTest, RejectsBadSizes) {
  const Bytes key = Key();
  const Bytes nonce(kAeadNonceSize, 0);
  const auto code_of = [](const Result<Bytes>& result) { return result.status().code(); };
  Bytes short_key(key.begin(), key.end() - 1);
  EXPECT_EQ(code_of(Seal(GetParam(), short_key, nonce, {}, {})), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of(Seal(GetParam(), Bytes(64, 1), nonce, {}, {})), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of(Seal(GetParam(), key, Bytes(11, 0), {}, {})), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of(Seal(GetParam(), key, Bytes(16, 0), {}, {})), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of(Open(GetParam(), key, nonce, {}, Bytes(kAeadTagSize - 1, 0))),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of(Open(GetParam(), short_key, nonce, {}, Bytes(kAeadTagSize, 0))),
            ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(BothCiphers, AeadAlgorithmTest,
                         testing::Values(CipherAlgorithm::kAes256Gcm, CipherAlgorithm::kSm4Gcm),
                         [](const testing::TestParamInfo<CipherAlgorithm>& param_info) {
                           return param_info.param == CipherAlgorithm::kAes256Gcm ? "Aes256Gcm" : "Sm4Gcm";
                         });

TEST(CipherTest, KeySizes) {
  EXPECT_EQ(CipherKeySize(CipherAlgorithm::kAes256Gcm), 32u);
  EXPECT_EQ(CipherKeySize(CipherAlgorithm::kSm4Gcm), 16u);
}

TEST(RandomBytesTest, SizesAndLimit) {
  EXPECT_TRUE(RandomBytes(0).value().empty());
  const Bytes a = RandomBytes(32).value();
  const Bytes b = RandomBytes(32).value();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);  // 2^-256 chance of a false failure
  EXPECT_EQ(RandomBytes(kRandomBytesMaxSize + 1).status().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace rightchain::crypto
