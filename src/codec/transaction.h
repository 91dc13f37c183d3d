// Transaction and SignedTransaction: the first objects of the canonical encoding
// (docs/encoding.md sections 3 and 4 give the layout byte for byte, with golden vectors).
//
// A Transaction is what the sender signs: its canonical encoding is the signed message
// (TransactionSigningBytes) and its suite hash is its id (TransactionId). A SignedTransaction
// carries the Transaction's complete encoding followed by the signature, so neither the id nor
// the signed bytes depend on signature bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "codec/reader.h"
#include "codec/writer.h"
#include "crypto/hash.h"
#include "crypto/private_key.h"
#include "crypto/suite.h"

namespace rightchain::codec {

using crypto::SignatureScheme;  // wire values: 1 = Ed25519, 2 = SM2

inline constexpr std::string_view kTransactionDomainType = "rightchain/transaction";
inline constexpr std::uint8_t kTransactionVersion = 1;
inline constexpr std::string_view kSignedTransactionDomainType = "rightchain/signed-transaction";
inline constexpr std::uint8_t kSignedTransactionVersion = 1;

// Field limits, in bytes.
inline constexpr std::size_t kMaxChainIdSize = 64;
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kSm2PublicKeySize = 65;  // uncompressed point 0x04 || x || y
inline constexpr std::size_t kMaxPublicKeySize = 65;
inline constexpr std::size_t kTransactionSignatureSize = 64;          // both schemes
inline constexpr std::size_t kMaxPayloadSize = std::size_t{1} << 20;  // 1 MiB

// Encoded sizes, from the layout (docs/encoding.md): callers bound reads with the maxima, and a
// sequence of transactions uses the minima as ReadCount's min_item_size.
inline constexpr std::size_t kMaxTransactionEncodedSize =
    (2 + kTransactionDomainType.size()) + 1 + (4 + kMaxChainIdSize) + 1 + (4 + kMaxPublicKeySize) + 8 + 8 +
    2 + (4 + kMaxPayloadSize);
inline constexpr std::size_t kMinTransactionEncodedSize =
    (2 + kTransactionDomainType.size()) + 1 + 4 + 1 + (4 + kEd25519PublicKeySize) + 8 + 8 + 2 + 4;
inline constexpr std::size_t kMaxSignedTransactionEncodedSize = (2 + kSignedTransactionDomainType.size()) +
                                                                1 + kMaxTransactionEncodedSize +
                                                                (4 + kTransactionSignatureSize);
inline constexpr std::size_t kMinSignedTransactionEncodedSize = (2 + kSignedTransactionDomainType.size()) +
                                                                1 + kMinTransactionEncodedSize +
                                                                (4 + kTransactionSignatureSize);
static_assert(kMaxTransactionEncodedSize == 1'048'761, "docs/encoding.md states this size");
static_assert(kMinTransactionEncodedSize == 88, "docs/encoding.md states this size");
static_assert(kMaxSignedTransactionEncodedSize == 1'048'861, "docs/encoding.md states this size");
static_assert(kMinSignedTransactionEncodedSize == 188, "docs/encoding.md states this size");

struct Transaction {
  std::string chain_id;  // UTF-8, at most kMaxChainIdSize bytes
  SignatureScheme sender_scheme = SignatureScheme::kEd25519;
  Bytes sender_public_key;  // exactly PublicKeySize(sender_scheme) bytes
  std::uint64_t nonce = 0;
  std::uint64_t expiry_height = 0;
  std::uint16_t kind = 0;  // opaque to the codec
  Bytes payload;           // opaque to the codec, at most kMaxPayloadSize bytes

  friend bool operator==(const Transaction&, const Transaction&) = default;
};

struct SignedTransaction {
  Transaction transaction;
  Bytes signature;  // exactly kTransactionSignatureSize bytes

  friend bool operator==(const SignedTransaction&, const SignedTransaction&) = default;
};

// The raw public key size the codec requires for `scheme` (32 for Ed25519, 65 for SM2).
std::size_t PublicKeySize(SignatureScheme scheme);

// OK if the object respects every rule of its encoding; otherwise kInvalidArgument naming the
// field. Call this on objects built from outside input: the encoders assert it.
Status ValidateTransaction(const Transaction& transaction);
Status ValidateSignedTransaction(const SignedTransaction& signed_transaction);

Bytes EncodeTransaction(const Transaction& transaction);
// Strict: the whole of `encoding` must be exactly one canonical Transaction.
Result<Transaction> DecodeTransaction(ByteView encoding);

// The message a sender signs: the canonical encoding of the unsigned transaction.
Bytes TransactionSigningBytes(const Transaction& transaction);
// The transaction's id: the suite hash of its signing bytes. A signed transaction's id is the id
// of its transaction.
crypto::Digest TransactionId(crypto::HashAlgorithm algorithm, const Transaction& transaction);

// Fills in the sender's scheme and public key from `key`, checks the transaction's rules and signs
// it: what every client and the node's own services do before submitting.
Result<SignedTransaction> SignTransaction(const crypto::PrivateKey& key, Transaction transaction);

Bytes EncodeSignedTransaction(const SignedTransaction& signed_transaction);
// Strict: the whole of `encoding` must be exactly one canonical SignedTransaction.
Result<SignedTransaction> DecodeSignedTransaction(ByteView encoding);

// For objects that embed these (a block embeds signed transactions complete, tag included):
// write or read one object at the current position, without the trailing-bytes check.
void WriteTransaction(Writer& writer, const Transaction& transaction);
Result<Transaction> ReadTransaction(Reader& reader);
void WriteSignedTransaction(Writer& writer, const SignedTransaction& signed_transaction);
Result<SignedTransaction> ReadSignedTransaction(Reader& reader);

}  // namespace rightchain::codec
