#include "codec/transaction.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace rightchain::codec {
namespace {

Transaction ExampleTransaction() {
  Transaction transaction;
  transaction.chain_id = "rightchain-test";
  transaction.sender_scheme = SignatureScheme::kEd25519;
  transaction.sender_public_key = Bytes(kEd25519PublicKeySize, 0xA5);
  transaction.nonce = 7;
  transaction.expiry_height = 1000;
  transaction.kind = 3;
  transaction.payload = ToBytes("payload bytes");
  return transaction;
}

SignedTransaction ExampleSignedTransaction() {
  return {ExampleTransaction(), Bytes(kTransactionSignatureSize, 0x5A)};
}

void ExpectFieldError(const Status& status, std::string_view field, std::string_view fragment = "") {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(status.message().starts_with(std::string(field) + ": ")) << status.message();
  EXPECT_NE(status.message().find(fragment), std::string::npos) << status.message();
}

// Offsets in ExampleTransaction's encoding (docs/encoding.md section 3).
constexpr std::size_t kVersionOffset = 24;
constexpr std::size_t kChainIdOffset = 25;
constexpr std::size_t kSchemeOffset = kChainIdOffset + 4 + 15;
constexpr std::size_t kKeyOffset = kSchemeOffset + 1;

TEST(TransactionTest, RoundTrips) {
  const Bytes encoding = EncodeTransaction(ExampleTransaction());
  EXPECT_EQ(*DecodeTransaction(encoding), ExampleTransaction());
  const Bytes signed_encoding = EncodeSignedTransaction(ExampleSignedTransaction());
  EXPECT_EQ(*DecodeSignedTransaction(signed_encoding), ExampleSignedTransaction());
}

TEST(TransactionTest, TruncationAtEveryPositionIsRejected) {
  const Bytes encoding = EncodeTransaction(ExampleTransaction());
  for (std::size_t size = 0; size < encoding.size(); ++size) {
    const Status status = DecodeTransaction(ByteView(encoding).first(size)).status();
    ASSERT_FALSE(status.ok()) << size;
    EXPECT_TRUE(status.message().starts_with("transaction.")) << status.message();
  }
  const Bytes signed_encoding = EncodeSignedTransaction(ExampleSignedTransaction());
  for (std::size_t size = 0; size < signed_encoding.size(); ++size) {
    const Status status = DecodeSignedTransaction(ByteView(signed_encoding).first(size)).status();
    ASSERT_FALSE(status.ok()) << size;
    EXPECT_TRUE(status.message().starts_with("signed_transaction.") ||
                status.message().starts_with("transaction."))
        << status.message();
  }
}

TEST(TransactionTest, TrailingBytesAreRejected) {
  Bytes encoding = EncodeTransaction(ExampleTransaction());
  encoding.push_back(0x00);
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction", "1 trailing byte");
  Bytes signed_encoding = EncodeSignedTransaction(ExampleSignedTransaction());
  signed_encoding.insert(signed_encoding.end(), {0xDE, 0xAD});
  ExpectFieldError(DecodeSignedTransaction(signed_encoding).status(), "signed_transaction",
                   "2 trailing bytes");
  // A bare transaction followed by a signature is not a signed transaction: the tag is missing.
  Bytes untagged = EncodeTransaction(ExampleTransaction());
  untagged.insert(untagged.end(), {0x00, 0x00, 0x00, 0x40});
  untagged.insert(untagged.end(), 64, 0x5A);
  ExpectFieldError(DecodeSignedTransaction(untagged).status(), "signed_transaction.domain_tag");
}

TEST(TransactionTest, UnknownVersionsAndWrongTagsAreRejected) {
  for (const std::uint8_t version : {0, 2, 255}) {
    Bytes encoding = EncodeTransaction(ExampleTransaction());
    encoding[kVersionOffset] = version;
    ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.version", "unknown version");
  }
  Bytes signed_encoding = EncodeSignedTransaction(ExampleSignedTransaction());
  signed_encoding[31] = 2;
  ExpectFieldError(DecodeSignedTransaction(signed_encoding).status(), "signed_transaction.version");

  // Each decoder refuses the other's encoding.
  ExpectFieldError(DecodeTransaction(EncodeSignedTransaction(ExampleSignedTransaction())).status(),
                   "transaction.domain_tag", "\"rightchain/signed-transaction\"");
  ExpectFieldError(DecodeSignedTransaction(EncodeTransaction(ExampleTransaction())).status(),
                   "signed_transaction.domain_tag");
  // One changed letter in the type.
  Bytes encoding = EncodeTransaction(ExampleTransaction());
  encoding[2 + 11] = 'T';
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.domain_tag");
}

TEST(TransactionTest, OutOfRangeValuesAreRejected) {
  for (const std::uint8_t scheme : {0, 3, 255}) {
    Bytes encoding = EncodeTransaction(ExampleTransaction());
    encoding[kSchemeOffset] = scheme;
    ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.sender_scheme",
                     "not one of the allowed");
  }
  // An Ed25519 transaction relabelled as SM2: its 32-byte key does not suit SM2.
  Bytes encoding = EncodeTransaction(ExampleTransaction());
  encoding[kSchemeOffset] = static_cast<std::uint8_t>(SignatureScheme::kSm2);
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.sender_public_key",
                   "length 32 is not the 65 bytes of an sm2 public key");
  // An SM2 key labelled Ed25519.
  Transaction sm2 = ExampleTransaction();
  sm2.sender_scheme = SignatureScheme::kSm2;
  sm2.sender_public_key = Bytes(kSm2PublicKeySize, 0x04);
  encoding = EncodeTransaction(sm2);
  encoding[kSchemeOffset] = static_cast<std::uint8_t>(SignatureScheme::kEd25519);
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.sender_public_key",
                   "length 65 is not the 32 bytes of an ed25519 public key");
  // A key length above the field maximum (66 > 65).
  encoding = EncodeTransaction(ExampleTransaction());
  encoding[kKeyOffset + 3] = 66;
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.sender_public_key",
                   "exceeds maximum 65");
}

TEST(TransactionTest, OverLongLengthsAreRejectedBeforeAllocation) {
  Bytes encoding = EncodeTransaction(ExampleTransaction());
  // chain_id length 65 (maximum 64).
  encoding[kChainIdOffset + 3] = 65;
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.chain_id",
                   "length 65 exceeds maximum 64");
  // chain_id length 0xffffffff.
  for (std::size_t i = 0; i < 4; ++i) encoding[kChainIdOffset + i] = 0xFF;
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.chain_id", "exceeds maximum");

  // payload length 2000000 (maximum 1048576), then the payload length 14 of 13 bytes remaining.
  encoding = EncodeTransaction(ExampleTransaction());
  const std::size_t payload_offset = encoding.size() - 4 - ExampleTransaction().payload.size();
  encoding[payload_offset + 0] = 0x00;
  encoding[payload_offset + 1] = 0x1E;
  encoding[payload_offset + 2] = 0x84;
  encoding[payload_offset + 3] = 0x80;
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.payload",
                   "length 2000000 exceeds maximum 1048576");
  encoding[payload_offset + 1] = 0x00;
  encoding[payload_offset + 2] = 0x00;
  encoding[payload_offset + 3] = 14;
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.payload",
                   "exceeds the 13 bytes remaining");
}

TEST(TransactionTest, InvalidUtf8ChainIdIsRejected) {
  Bytes encoding = EncodeTransaction(ExampleTransaction());
  encoding[kChainIdOffset + 4 + 3] = 0xC0;  // "rig\xC0..." : a lead byte that never occurs
  ExpectFieldError(DecodeTransaction(encoding).status(), "transaction.chain_id", "not valid UTF-8");
}

TEST(TransactionTest, SignatureMustBe64Bytes) {
  Bytes encoding = EncodeSignedTransaction(ExampleSignedTransaction());
  // Claim 63 bytes and drop one: the length is canonical-looking but wrong.
  encoding[encoding.size() - 64 - 1] = 63;
  encoding.pop_back();
  ExpectFieldError(DecodeSignedTransaction(encoding).status(), "signed_transaction.signature",
                   "length 63 is not the 64 bytes of a signature");
  // Claim 65.
  encoding = EncodeSignedTransaction(ExampleSignedTransaction());
  encoding[encoding.size() - 64 - 1] = 65;
  encoding.push_back(0);
  ExpectFieldError(DecodeSignedTransaction(encoding).status(), "signed_transaction.signature",
                   "exceeds maximum 64");
}

TEST(TransactionTest, InputsAboveTheMaximumSizeAreRejectedUpFront) {
  const Bytes too_big(kMaxSignedTransactionEncodedSize + 1, 0x00);
  ExpectFieldError(DecodeSignedTransaction(too_big).status(), "signed_transaction", "exceed maximum");
  ExpectFieldError(DecodeTransaction(too_big).status(), "transaction", "exceed maximum");
}

TEST(TransactionTest, LargestTransactionHasTheDocumentedSize) {
  Transaction largest = ExampleTransaction();
  largest.chain_id = std::string(kMaxChainIdSize, 'c');
  largest.sender_scheme = SignatureScheme::kSm2;
  largest.sender_public_key = Bytes(kSm2PublicKeySize, 0x04);
  largest.payload = Bytes(kMaxPayloadSize, 0xAB);
  const Bytes encoding = EncodeTransaction(largest);
  EXPECT_EQ(encoding.size(), kMaxTransactionEncodedSize);
  EXPECT_EQ(*DecodeTransaction(encoding), largest);
  const SignedTransaction signed_largest{largest, Bytes(kTransactionSignatureSize, 1)};
  const Bytes signed_encoding = EncodeSignedTransaction(signed_largest);
  EXPECT_EQ(signed_encoding.size(), kMaxSignedTransactionEncodedSize);
  EXPECT_EQ(*DecodeSignedTransaction(signed_encoding), signed_largest);

  Transaction smallest = ExampleTransaction();
  smallest.chain_id.clear();
  smallest.payload.clear();
  EXPECT_EQ(EncodeTransaction(smallest).size(), kMinTransactionEncodedSize);
  EXPECT_EQ(EncodeSignedTransaction({smallest, Bytes(64, 0)}).size(), kMinSignedTransactionEncodedSize);
}

TEST(TransactionTest, ValidateNamesTheOffendingField) {
  EXPECT_TRUE(ValidateSignedTransaction(ExampleSignedTransaction()).ok());
  Transaction transaction = ExampleTransaction();
  transaction.chain_id = std::string(65, 'c');
  ExpectFieldError(ValidateTransaction(transaction), "transaction.chain_id", "exceeds maximum 64");
  transaction = ExampleTransaction();
  transaction.chain_id = "\xED\xA0\x80";
  ExpectFieldError(ValidateTransaction(transaction), "transaction.chain_id", "UTF-8");
  transaction = ExampleTransaction();
  transaction.sender_scheme = static_cast<SignatureScheme>(9);
  ExpectFieldError(ValidateTransaction(transaction), "transaction.sender_scheme");
  transaction = ExampleTransaction();
  transaction.sender_public_key.push_back(0);
  ExpectFieldError(ValidateTransaction(transaction), "transaction.sender_public_key", "ed25519 public key");
  transaction = ExampleTransaction();
  transaction.payload = Bytes(kMaxPayloadSize + 1, 0);
  ExpectFieldError(ValidateTransaction(transaction), "transaction.payload", "exceeds maximum");
  SignedTransaction signed_transaction = ExampleSignedTransaction();
  signed_transaction.signature.pop_back();
  ExpectFieldError(ValidateSignedTransaction(signed_transaction), "signed_transaction.signature");
}

TEST(TransactionDeathTest, EncodingAnInvalidObjectIsABug) {
  Transaction transaction = ExampleTransaction();
  transaction.sender_public_key.pop_back();
  EXPECT_DEATH((void)EncodeTransaction(transaction), "sender_public_key");
  SignedTransaction signed_transaction = ExampleSignedTransaction();
  signed_transaction.signature.clear();
  EXPECT_DEATH((void)EncodeSignedTransaction(signed_transaction), "signature");
}

// --- Properties over random objects (fixed seed: failures reproduce) ---

class RandomObjects {
 public:
  explicit RandomObjects(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t Below(std::uint64_t bound) {
    return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(engine_);
  }

  Bytes RandomBytes(std::size_t size) {
    Bytes bytes(size);
    for (std::uint8_t& byte : bytes) byte = static_cast<std::uint8_t>(Below(256));
    return bytes;
  }

  // Random scalar values of every UTF-8 length, up to max_size bytes.
  std::string RandomText(std::size_t max_size) {
    std::string text;
    const std::size_t target = Below(max_size + 1);
    while (true) {
      std::uint32_t code_point = 0;
      switch (Below(4)) {
        case 0: code_point = static_cast<std::uint32_t>(Below(0x80)); break;
        case 1: code_point = static_cast<std::uint32_t>(0x80 + Below(0x800 - 0x80)); break;
        case 2:
          do code_point = static_cast<std::uint32_t>(0x800 + Below(0x10000 - 0x800));
          while (code_point >= 0xD800 && code_point <= 0xDFFF);
          break;
        default: code_point = static_cast<std::uint32_t>(0x10000 + Below(0x110000 - 0x10000)); break;
      }
      const std::string encoded = EncodeUtf8(code_point);
      if (text.size() + encoded.size() > target) return text;
      text += encoded;
    }
  }

  std::uint64_t RandomU64() {
    switch (Below(4)) {
      case 0: return 0;
      case 1: return UINT64_MAX;
      default: return engine_();
    }
  }

  Transaction RandomTransaction() {
    Transaction transaction;
    transaction.chain_id = RandomText(kMaxChainIdSize);
    transaction.sender_scheme = Below(2) == 0 ? SignatureScheme::kEd25519 : SignatureScheme::kSm2;
    transaction.sender_public_key = RandomBytes(PublicKeySize(transaction.sender_scheme));
    transaction.nonce = RandomU64();
    transaction.expiry_height = RandomU64();
    transaction.kind = static_cast<std::uint16_t>(Below(0x10000));
    transaction.payload = RandomBytes(Below(8) == 0 ? Below(64 * 1024) : Below(512));
    return transaction;
  }

  SignedTransaction RandomSignedTransaction() {
    return {RandomTransaction(), RandomBytes(kTransactionSignatureSize)};
  }

 private:
  static std::string EncodeUtf8(std::uint32_t code_point) {
    std::string out;
    if (code_point < 0x80) {
      out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else if (code_point < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
    return out;
  }

  std::mt19937_64 engine_;
};

TEST(TransactionPropertyTest, EncodeDecodeEncodeIsIdentity) {
  RandomObjects random(20260101);
  for (int iteration = 0; iteration < 3000; ++iteration) {
    const SignedTransaction original = random.RandomSignedTransaction();
    ASSERT_TRUE(ValidateSignedTransaction(original).ok());

    const Bytes encoding = EncodeSignedTransaction(original);
    const Result<SignedTransaction> decoded = DecodeSignedTransaction(encoding);
    ASSERT_TRUE(decoded.ok()) << iteration << ": " << decoded.status().ToString();
    ASSERT_EQ(*decoded, original) << iteration;
    ASSERT_EQ(EncodeSignedTransaction(*decoded), encoding) << iteration;

    // The transaction's signing bytes are the slice after the outer tag and version.
    const Bytes signing_bytes = TransactionSigningBytes(original.transaction);
    ASSERT_TRUE(std::equal(signing_bytes.begin(), signing_bytes.end(), encoding.begin() + 32)) << iteration;
    const Result<Transaction> transaction = DecodeTransaction(signing_bytes);
    ASSERT_TRUE(transaction.ok()) << iteration << ": " << transaction.status().ToString();
    ASSERT_EQ(*transaction, original.transaction) << iteration;
  }
}

// Canonicality: after any small corruption of a valid encoding, either the decoder refuses it or
// the bytes it accepted are exactly what the encoder produces for the value it decoded.
TEST(TransactionPropertyTest, AcceptedMutantsReEncodeToThemselves) {
  RandomObjects random(42);
  int accepted = 0;
  for (int iteration = 0; iteration < 5000; ++iteration) {
    Bytes bytes = EncodeSignedTransaction(random.RandomSignedTransaction());
    switch (random.Below(4)) {
      case 0: bytes[random.Below(bytes.size())] ^= static_cast<std::uint8_t>(1 + random.Below(255)); break;
      case 1: bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(random.Below(bytes.size()))); break;
      case 2:
        bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(random.Below(bytes.size() + 1)),
                     static_cast<std::uint8_t>(random.Below(256)));
        break;
      default: bytes.resize(random.Below(bytes.size())); break;
    }
    const Result<SignedTransaction> decoded = DecodeSignedTransaction(bytes);
    if (!decoded.ok()) {
      ASSERT_FALSE(decoded.status().message().empty());
      continue;
    }
    ++accepted;  // e.g. a flipped byte inside the payload, key or signature
    ASSERT_EQ(EncodeSignedTransaction(*decoded), bytes) << iteration;
  }
  EXPECT_GT(accepted, 0);  // the property was exercised on accepted inputs too
}

}  // namespace
}  // namespace rightchain::codec
