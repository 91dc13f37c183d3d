// Golden vectors: docs/encoding.md is the specification, and its ```hex blocks are read here, so
// the document and the code cannot drift. Each positive vector must be exactly what the encoder
// produces for the values stated in the document (restated below) and must decode back to them;
// each reject/ vector must be refused with an error naming the stated field.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "codec/reader.h"
#include "codec/transaction.h"
#include "codec/writer.h"

namespace rightchain::codec {
namespace {

struct Vector {
  std::map<std::string, std::string> attributes;  // key=value words after the name
  Bytes bytes;
};

// Reads every "```hex NAME key=value..." block; '#' starts a comment to the end of the line.
std::map<std::string, Vector> LoadVectors() {
  const std::string path = std::string(RIGHTCHAIN_SOURCE_DIR) + "/docs/encoding.md";
  std::ifstream file(path);
  EXPECT_TRUE(file.is_open()) << "cannot open " << path;
  std::map<std::string, Vector> vectors;
  std::string line;
  while (std::getline(file, line)) {
    if (!line.starts_with("```hex")) continue;
    std::istringstream info(line.substr(6));
    std::string name;
    info >> name;
    EXPECT_FALSE(name.empty()) << "a hex block without a name";
    Vector vector;
    for (std::string word; info >> word;) {
      const std::size_t equals = word.find('=');
      EXPECT_NE(equals, std::string::npos) << name << ": attribute without '=': " << word;
      if (equals != std::string::npos) vector.attributes[word.substr(0, equals)] = word.substr(equals + 1);
    }
    std::string hex;
    bool closed = false;
    while (std::getline(file, line)) {
      if (line.starts_with("```")) {
        closed = true;
        break;
      }
      line = line.substr(0, line.find('#'));
      for (const char c : line) {
        if (c != ' ' && c != '\t' && c != '\r') hex.push_back(c);
      }
    }
    EXPECT_TRUE(closed) << name << ": block not closed";
    const Result<Bytes> bytes = HexDecode(hex);
    EXPECT_TRUE(bytes.ok()) << name << ": " << bytes.status().ToString();
    if (bytes.ok()) vector.bytes = *bytes;
    EXPECT_TRUE(vectors.emplace(name, std::move(vector)).second) << "duplicate vector " << name;
  }
  return vectors;
}

const std::map<std::string, Vector>& Vectors() {
  static const std::map<std::string, Vector> vectors = LoadVectors();
  return vectors;
}

const Bytes& VectorBytes(const std::string& name) {
  static const Bytes kMissing;
  const auto found = Vectors().find(name);
  if (found == Vectors().end()) {
    ADD_FAILURE() << "docs/encoding.md has no vector " << name;
    return kMissing;
  }
  return found->second.bytes;
}

Bytes Sequence(int first, int count) {
  Bytes bytes;
  for (int i = 0; i < count; ++i) bytes.push_back(static_cast<std::uint8_t>(first + i));
  return bytes;
}

// The values docs/encoding.md states for its vectors.
Transaction Ed25519Transaction() {
  Transaction transaction;
  transaction.chain_id = "rightchain-test";
  transaction.sender_scheme = SignatureScheme::kEd25519;
  transaction.sender_public_key = Sequence(0x00, 32);
  transaction.nonce = 258;
  transaction.expiry_height = 100000;
  transaction.kind = 1;
  transaction.payload = ToBytes("hello");
  return transaction;
}

SignedTransaction Ed25519SignedTransaction() {
  return {Ed25519Transaction(), Sequence(0x40, 64)};
}

SignedTransaction Sm2SignedTransaction() {
  SignedTransaction signed_transaction;
  Transaction& transaction = signed_transaction.transaction;
  transaction.chain_id = "版权链";
  transaction.sender_scheme = SignatureScheme::kSm2;
  transaction.sender_public_key = Sequence(0x01, 64);
  transaction.sender_public_key.insert(transaction.sender_public_key.begin(), 0x04);
  transaction.nonce = UINT64_MAX;
  transaction.expiry_height = 0;
  transaction.kind = 65535;
  transaction.payload = {};
  signed_transaction.signature = Bytes(64, 0x11);
  return signed_transaction;
}

const std::set<std::string> kPositiveVectors = {
    "primitive/u8",
    "primitive/u16",
    "primitive/u32",
    "primitive/u64",
    "primitive/u64-max",
    "primitive/bool-false",
    "primitive/bool-true",
    "primitive/fixed-digest",
    "primitive/bytes-abc",
    "primitive/bytes-empty",
    "primitive/text-copyright",
    "primitive/sequence-u16",
    "primitive/optional-absent",
    "primitive/optional-present",
    "primitive/domain-tag-transaction",
    "transaction-ed25519",
    "transaction-ed25519/id-sha256",
    "transaction-ed25519/id-sm3",
    "signed-transaction-ed25519",
    "signed-transaction-sm2",
};

TEST(GoldenTest, EveryVectorInTheDocumentIsChecked) {
  std::size_t rejects = 0;
  for (const auto& [name, vector] : Vectors()) {
    if (name.starts_with("reject/")) {
      ++rejects;
      continue;
    }
    EXPECT_TRUE(kPositiveVectors.contains(name))
        << "vector " << name << " in docs/encoding.md is not checked";
  }
  for (const std::string& name : kPositiveVectors) EXPECT_TRUE(Vectors().contains(name)) << name;
  EXPECT_GE(rejects, 10u);
}

// Checks that `write` produces the vector's bytes and `read` accepts exactly them.
template <typename Write, typename Read>
void ExpectPrimitive(const std::string& name, Write write, Read read) {
  SCOPED_TRACE(name);
  Writer writer;
  write(writer);
  EXPECT_EQ(HexEncode(writer.bytes()), HexEncode(VectorBytes(name)));
  Reader reader(VectorBytes(name));
  read(reader);
  EXPECT_TRUE(reader.Finish(name).ok()) << reader.status().ToString();
}

TEST(GoldenTest, Primitives) {
  ExpectPrimitive(
      "primitive/u8", [](Writer& w) { w.WriteU8(42); }, [](Reader& r) { EXPECT_EQ(*r.ReadU8("v"), 42); });
  ExpectPrimitive(
      "primitive/u16", [](Writer& w) { w.WriteU16(258); },
      [](Reader& r) { EXPECT_EQ(*r.ReadU16("v"), 258); });
  ExpectPrimitive(
      "primitive/u32", [](Writer& w) { w.WriteU32(16909060); },
      [](Reader& r) { EXPECT_EQ(*r.ReadU32("v"), 16909060u); });
  ExpectPrimitive(
      "primitive/u64", [](Writer& w) { w.WriteU64(72623859790382856ULL); },
      [](Reader& r) { EXPECT_EQ(*r.ReadU64("v"), 72623859790382856ULL); });
  ExpectPrimitive(
      "primitive/u64-max", [](Writer& w) { w.WriteU64(UINT64_MAX); },
      [](Reader& r) { EXPECT_EQ(*r.ReadU64("v"), UINT64_MAX); });
  ExpectPrimitive(
      "primitive/bool-false", [](Writer& w) { w.WriteBool(false); },
      [](Reader& r) { EXPECT_EQ(*r.ReadBool("v"), false); });
  ExpectPrimitive(
      "primitive/bool-true", [](Writer& w) { w.WriteBool(true); },
      [](Reader& r) { EXPECT_EQ(*r.ReadBool("v"), true); });

  const crypto::Digest empty_digest = crypto::Hash(crypto::HashAlgorithm::kSha256, ByteView());
  ExpectPrimitive(
      "primitive/fixed-digest", [&](Writer& w) { w.WriteFixed(empty_digest); },
      [&](Reader& r) { EXPECT_EQ(*r.ReadArray<crypto::kDigestSize>("v"), empty_digest); });
  ExpectPrimitive(
      "primitive/bytes-abc", [](Writer& w) { w.WriteBytes(AsBytes("abc"), 3); },
      [](Reader& r) { EXPECT_EQ(AsText(*r.ReadBytes("v", 3)), "abc"); });
  ExpectPrimitive(
      "primitive/bytes-empty", [](Writer& w) { w.WriteBytes(ByteView(), 10); },
      [](Reader& r) { EXPECT_TRUE(r.ReadBytes("v", 10)->empty()); });
  ExpectPrimitive(
      "primitive/text-copyright", [](Writer& w) { w.WriteText("版权", 6); },
      [](Reader& r) { EXPECT_EQ(*r.ReadText("v", 6), "版权"); });

  const std::vector<std::uint16_t> sequence = {1, 2, 3};
  ExpectPrimitive(
      "primitive/sequence-u16",
      [&](Writer& w) { w.WriteSequence(sequence, 3, [](Writer& out, std::uint16_t v) { out.WriteU16(v); }); },
      [&](Reader& r) {
        EXPECT_EQ(*r.ReadSequence<std::uint16_t>("v", 3, 2, [](Reader& in) { return in.ReadU16("item"); }),
                  sequence);
      });

  const auto write_u32 = [](Writer& out, std::uint32_t v) { out.WriteU32(v); };
  const auto read_u32 = [](Reader& in) { return in.ReadU32("value"); };
  ExpectPrimitive(
      "primitive/optional-absent",
      [&](Writer& w) { w.WriteOptional(std::optional<std::uint32_t>(), write_u32); },
      [&](Reader& r) { EXPECT_EQ(*r.ReadOptional<std::uint32_t>("v", read_u32), std::nullopt); });
  ExpectPrimitive(
      "primitive/optional-present",
      [&](Writer& w) { w.WriteOptional(std::optional<std::uint32_t>(5), write_u32); },
      [&](Reader& r) {
        EXPECT_EQ(*r.ReadOptional<std::uint32_t>("v", read_u32), std::optional<std::uint32_t>(5));
      });
  ExpectPrimitive(
      "primitive/domain-tag-transaction", [](Writer& w) { w.WriteDomainTag("rightchain/transaction"); },
      [](Reader& r) { EXPECT_TRUE(r.ExpectDomainTag("v", "rightchain/transaction").ok()); });
}

TEST(GoldenTest, Transaction) {
  const Bytes& expected = VectorBytes("transaction-ed25519");
  ASSERT_EQ(expected.size(), 108u);
  EXPECT_EQ(HexEncode(EncodeTransaction(Ed25519Transaction())), HexEncode(expected));
  EXPECT_EQ(TransactionSigningBytes(Ed25519Transaction()), expected);
  const Result<Transaction> decoded = DecodeTransaction(expected);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, Ed25519Transaction());
}

TEST(GoldenTest, TransactionIds) {
  const crypto::Digest sha256 = TransactionId(crypto::HashAlgorithm::kSha256, Ed25519Transaction());
  const crypto::Digest sm3 = TransactionId(crypto::HashAlgorithm::kSm3, Ed25519Transaction());
  EXPECT_EQ(HexEncode(sha256), HexEncode(VectorBytes("transaction-ed25519/id-sha256")));
  EXPECT_EQ(HexEncode(sm3), HexEncode(VectorBytes("transaction-ed25519/id-sm3")));
  // The id of a signed transaction does not depend on its signature.
  SignedTransaction other_signature = Ed25519SignedTransaction();
  other_signature.signature.assign(64, 0xEE);
  EXPECT_EQ(TransactionId(crypto::HashAlgorithm::kSha256, other_signature.transaction), sha256);
}

TEST(GoldenTest, SignedTransactions) {
  const std::pair<std::string, SignedTransaction> cases[] = {
      {"signed-transaction-ed25519", Ed25519SignedTransaction()},
      {"signed-transaction-sm2", Sm2SignedTransaction()},
  };
  for (const auto& [name, value] : cases) {
    SCOPED_TRACE(name);
    const Bytes& expected = VectorBytes(name);
    EXPECT_EQ(HexEncode(EncodeSignedTransaction(value)), HexEncode(expected));
    const Result<SignedTransaction> decoded = DecodeSignedTransaction(expected);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, value);
  }
  EXPECT_EQ(VectorBytes("signed-transaction-ed25519").size(), 208u);
  EXPECT_EQ(VectorBytes("signed-transaction-sm2").size(), 230u);
}

TEST(GoldenTest, SignedBytesAreASliceOfTheSignedTransaction) {
  // Nesting rule: the signed transaction embeds the transaction's complete encoding after its
  // own 31-byte tag and version byte.
  const Bytes& signed_bytes = VectorBytes("signed-transaction-ed25519");
  const Bytes& transaction_bytes = VectorBytes("transaction-ed25519");
  ASSERT_GE(signed_bytes.size(), 32 + transaction_bytes.size());
  EXPECT_EQ(Bytes(signed_bytes.begin() + 32, signed_bytes.begin() + 32 + transaction_bytes.size()),
            transaction_bytes);
}

TEST(GoldenTest, RejectVectorsAreRefusedNamingTheField) {
  for (const auto& [name, vector] : Vectors()) {
    if (!name.starts_with("reject/")) continue;
    SCOPED_TRACE(name);
    const auto decode = vector.attributes.find("decode");
    const auto field = vector.attributes.find("field");
    ASSERT_NE(decode, vector.attributes.end()) << "needs decode=";
    ASSERT_NE(field, vector.attributes.end()) << "needs field=";
    Status status;
    if (decode->second == "transaction") {
      status = DecodeTransaction(vector.bytes).status();
    } else if (decode->second == "signed-transaction") {
      status = DecodeSignedTransaction(vector.bytes).status();
    } else {
      FAIL() << "unknown decode=" << decode->second;
    }
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
    EXPECT_TRUE(status.message().starts_with(field->second + ": ")) << status.message();
  }
}

}  // namespace
}  // namespace rightchain::codec
