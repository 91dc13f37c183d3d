#include "codec/transaction.h"

#include <algorithm>
#include <array>

#include "codec/utf8.h"
#include "crypto/signature.h"

namespace rightchain::codec {

// The wire sizes are the codec's rules (docs/encoding.md); they must be what the signature
// schemes produce and accept.
static_assert(kEd25519PublicKeySize == crypto::kEd25519PublicKeySize);
static_assert(kSm2PublicKeySize == crypto::kSm2PublicKeySize);
static_assert(kMaxPublicKeySize == std::max(kEd25519PublicKeySize, kSm2PublicKeySize));
static_assert(kTransactionSignatureSize == crypto::kSignatureSize);

namespace {

constexpr std::array<std::uint8_t, 1> kTransactionVersions = {kTransactionVersion};
constexpr std::array<std::uint8_t, 1> kSignedTransactionVersions = {kSignedTransactionVersion};
constexpr std::array<SignatureScheme, 2> kSignatureSchemes = {SignatureScheme::kEd25519,
                                                              SignatureScheme::kSm2};

bool IsKnownScheme(SignatureScheme scheme) {
  for (const SignatureScheme known : kSignatureSchemes) {
    if (scheme == known) return true;
  }
  return false;
}

std::string PublicKeyDescription(SignatureScheme scheme) {
  return "of an " + std::string(crypto::SignatureSchemeName(scheme)) + " public key";
}

std::string WrongSizeProblem(std::size_t size, std::size_t expected, std::string_view what) {
  return "length " + std::to_string(size) + " is not the " + std::to_string(expected) + " bytes " +
         std::string(what);
}

// The exact encoded size, so encoding allocates once.
std::size_t TransactionEncodedSize(const Transaction& transaction) {
  return (2 + kTransactionDomainType.size()) + 1 + (4 + transaction.chain_id.size()) + 1 +
         (4 + transaction.sender_public_key.size()) + 8 + 8 + 2 + (4 + transaction.payload.size());
}

std::size_t SignedTransactionEncodedSize(const SignedTransaction& signed_transaction) {
  return (2 + kSignedTransactionDomainType.size()) + 1 +
         TransactionEncodedSize(signed_transaction.transaction) + (4 + signed_transaction.signature.size());
}

}  // namespace

std::size_t PublicKeySize(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::kEd25519: return kEd25519PublicKeySize;
    case SignatureScheme::kSm2: return kSm2PublicKeySize;
  }
  RC_UNREACHABLE();
}

Status ValidateTransaction(const Transaction& transaction) {
  if (transaction.chain_id.size() > kMaxChainIdSize) {
    return Status::InvalidArgument("transaction.chain_id: length " +
                                   std::to_string(transaction.chain_id.size()) + " exceeds maximum " +
                                   std::to_string(kMaxChainIdSize));
  }
  if (!IsValidUtf8(transaction.chain_id))
    return Status::InvalidArgument("transaction.chain_id: not valid UTF-8");
  if (!IsKnownScheme(transaction.sender_scheme)) {
    return Status::InvalidArgument("transaction.sender_scheme: value " +
                                   std::to_string(static_cast<int>(transaction.sender_scheme)) +
                                   " is not one of the allowed values");
  }
  const std::size_t key_size = PublicKeySize(transaction.sender_scheme);
  if (transaction.sender_public_key.size() != key_size) {
    return Status::InvalidArgument("transaction.sender_public_key: " +
                                   WrongSizeProblem(transaction.sender_public_key.size(), key_size,
                                                    PublicKeyDescription(transaction.sender_scheme)));
  }
  if (transaction.payload.size() > kMaxPayloadSize) {
    return Status::InvalidArgument("transaction.payload: length " +
                                   std::to_string(transaction.payload.size()) + " exceeds maximum " +
                                   std::to_string(kMaxPayloadSize));
  }
  return Status::Ok();
}

Status ValidateSignedTransaction(const SignedTransaction& signed_transaction) {
  RC_RETURN_IF_ERROR(ValidateTransaction(signed_transaction.transaction));
  if (signed_transaction.signature.size() != kTransactionSignatureSize) {
    return Status::InvalidArgument(
        "signed_transaction.signature: " +
        WrongSizeProblem(signed_transaction.signature.size(), kTransactionSignatureSize, "of a signature"));
  }
  return Status::Ok();
}

void WriteTransaction(Writer& writer, const Transaction& transaction) {
  const Status valid = ValidateTransaction(transaction);
  RC_ASSERT_MSG(valid.ok(), valid.message());
  writer.WriteDomainTag(kTransactionDomainType);
  writer.WriteVersion(kTransactionVersion);
  writer.WriteText(transaction.chain_id, kMaxChainIdSize);
  writer.WriteEnum(transaction.sender_scheme);
  writer.WriteBytes(transaction.sender_public_key, kMaxPublicKeySize);
  writer.WriteU64(transaction.nonce);
  writer.WriteU64(transaction.expiry_height);
  writer.WriteU16(transaction.kind);
  writer.WriteBytes(transaction.payload, kMaxPayloadSize);
}

Result<Transaction> ReadTransaction(Reader& reader) {
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("transaction.domain_tag", kTransactionDomainType));
  RC_ASSIGN_OR_RETURN(const std::uint8_t version,
                      reader.ReadVersion("transaction.version", kTransactionVersions));
  RC_ASSERT(version == kTransactionVersion);  // the only version listed as allowed

  Transaction transaction;
  RC_ASSIGN_OR_RETURN(const std::string_view chain_id,
                      reader.ReadText("transaction.chain_id", kMaxChainIdSize));
  transaction.chain_id = std::string(chain_id);
  RC_ASSIGN_OR_RETURN(transaction.sender_scheme,
                      reader.ReadEnum<SignatureScheme>("transaction.sender_scheme", kSignatureSchemes));
  RC_ASSIGN_OR_RETURN(const ByteView public_key,
                      reader.ReadBytes("transaction.sender_public_key", kMaxPublicKeySize));
  const std::size_t key_size = PublicKeySize(transaction.sender_scheme);
  if (public_key.size() != key_size) {
    return reader.Fail(
        "transaction.sender_public_key",
        WrongSizeProblem(public_key.size(), key_size, PublicKeyDescription(transaction.sender_scheme)));
  }
  transaction.sender_public_key.assign(public_key.begin(), public_key.end());
  RC_ASSIGN_OR_RETURN(transaction.nonce, reader.ReadU64("transaction.nonce"));
  RC_ASSIGN_OR_RETURN(transaction.expiry_height, reader.ReadU64("transaction.expiry_height"));
  RC_ASSIGN_OR_RETURN(transaction.kind, reader.ReadU16("transaction.kind"));
  RC_ASSIGN_OR_RETURN(const ByteView payload, reader.ReadBytes("transaction.payload", kMaxPayloadSize));
  transaction.payload.assign(payload.begin(), payload.end());
  return transaction;
}

Bytes EncodeTransaction(const Transaction& transaction) {
  Writer writer(TransactionEncodedSize(transaction));
  WriteTransaction(writer, transaction);
  RC_ASSERT(writer.size() == TransactionEncodedSize(transaction));
  return std::move(writer).Take();
}

Result<Transaction> DecodeTransaction(ByteView encoding) {
  if (encoding.size() > kMaxTransactionEncodedSize) {
    return Status::InvalidArgument("transaction: " + std::to_string(encoding.size()) +
                                   " bytes exceed maximum " + std::to_string(kMaxTransactionEncodedSize));
  }
  Reader reader(encoding);
  RC_ASSIGN_OR_RETURN(Transaction transaction, ReadTransaction(reader));
  RC_RETURN_IF_ERROR(reader.Finish("transaction"));
  return transaction;
}

Bytes TransactionSigningBytes(const Transaction& transaction) {
  return EncodeTransaction(transaction);
}

crypto::Digest TransactionId(crypto::HashAlgorithm algorithm, const Transaction& transaction) {
  return crypto::Hash(algorithm, TransactionSigningBytes(transaction));
}

void WriteSignedTransaction(Writer& writer, const SignedTransaction& signed_transaction) {
  const Status valid = ValidateSignedTransaction(signed_transaction);
  RC_ASSERT_MSG(valid.ok(), valid.message());
  writer.WriteDomainTag(kSignedTransactionDomainType);
  writer.WriteVersion(kSignedTransactionVersion);
  WriteTransaction(writer, signed_transaction.transaction);  // complete, tag included (nesting rule)
  writer.WriteBytes(signed_transaction.signature, kTransactionSignatureSize);
}

Result<SignedTransaction> ReadSignedTransaction(Reader& reader) {
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("signed_transaction.domain_tag", kSignedTransactionDomainType));
  RC_ASSIGN_OR_RETURN(const std::uint8_t version,
                      reader.ReadVersion("signed_transaction.version", kSignedTransactionVersions));
  RC_ASSERT(version == kSignedTransactionVersion);

  SignedTransaction signed_transaction;
  RC_ASSIGN_OR_RETURN(signed_transaction.transaction, ReadTransaction(reader));
  RC_ASSIGN_OR_RETURN(const ByteView signature,
                      reader.ReadBytes("signed_transaction.signature", kTransactionSignatureSize));
  if (signature.size() != kTransactionSignatureSize) {
    return reader.Fail("signed_transaction.signature",
                       WrongSizeProblem(signature.size(), kTransactionSignatureSize, "of a signature"));
  }
  signed_transaction.signature.assign(signature.begin(), signature.end());
  return signed_transaction;
}

Result<SignedTransaction> SignTransaction(const crypto::PrivateKey& key, Transaction transaction) {
  transaction.sender_scheme = key.scheme();
  const ByteView raw = key.public_key().raw();
  transaction.sender_public_key.assign(raw.begin(), raw.end());
  RC_RETURN_IF_ERROR(ValidateTransaction(transaction));
  RC_ASSIGN_OR_RETURN(const crypto::Signature signature, key.Sign(TransactionSigningBytes(transaction)));
  SignedTransaction signed_transaction{std::move(transaction), Bytes(signature.begin(), signature.end())};
  return signed_transaction;
}

Bytes EncodeSignedTransaction(const SignedTransaction& signed_transaction) {
  Writer writer(SignedTransactionEncodedSize(signed_transaction));
  WriteSignedTransaction(writer, signed_transaction);
  RC_ASSERT(writer.size() == SignedTransactionEncodedSize(signed_transaction));
  return std::move(writer).Take();
}

Result<SignedTransaction> DecodeSignedTransaction(ByteView encoding) {
  if (encoding.size() > kMaxSignedTransactionEncodedSize) {
    return Status::InvalidArgument("signed_transaction: " + std::to_string(encoding.size()) +
                                   " bytes exceed maximum " +
                                   std::to_string(kMaxSignedTransactionEncodedSize));
  }
  Reader reader(encoding);
  RC_ASSIGN_OR_RETURN(SignedTransaction signed_transaction, ReadSignedTransaction(reader));
  RC_RETURN_IF_ERROR(reader.Finish("signed_transaction"));
  return signed_transaction;
}

}  // namespace rightchain::codec
