// Helpers for exec's tests: keys and signed transactions.
#pragma once

#include <string>

#include "codec/transaction.h"
#include "crypto/private_key.h"
#include "crypto/suite.h"
#include "exec/executor.h"
#include "exec/record_payloads.h"

namespace rightchain::exec::testing {

inline crypto::PrivateKey MakeKey(crypto::SuiteId suite, std::uint8_t seed_byte) {
  const Bytes seed(crypto::kRawPrivateKeySize, seed_byte);
  return std::move(crypto::PrivateKey::FromRaw(crypto::GetSuite(suite).signature, seed)).value();
}

inline codec::SignedTransaction MakeSignedTransaction(const crypto::PrivateKey& key, std::string chain_id,
                                                      std::uint64_t nonce, std::uint64_t expiry_height,
                                                      std::uint16_t kind = 1,
                                                      Bytes payload = ToBytes("hello")) {
  codec::SignedTransaction signed_transaction;
  codec::Transaction& transaction = signed_transaction.transaction;
  transaction.chain_id = std::move(chain_id);
  transaction.sender_scheme = key.scheme();
  const ByteView raw = key.public_key().raw();
  transaction.sender_public_key.assign(raw.begin(), raw.end());
  transaction.nonce = nonce;
  transaction.expiry_height = expiry_height;
  transaction.kind = kind;
  transaction.payload = std::move(payload);
  const crypto::Signature signature = key.Sign(codec::TransactionSigningBytes(transaction)).value();
  signed_transaction.signature.assign(signature.begin(), signature.end());
  return signed_transaction;
}

// The payload of an account creation (kind 16) for `holder`'s key, with its proof of possession;
// a sponsor signs the transaction.
inline Bytes MakeCreateAccountPayload(const crypto::PrivateKey& holder, std::string_view chain_id,
                                      AccountKinds kinds, std::string label) {
  const ByteView raw = holder.public_key().raw();
  const crypto::Signature proof =
      holder.Sign(KeyProofMessage(chain_id, holder.public_key().key_id(), raw)).value();
  return EncodePayload(CreateAccountPayload{
      kinds, std::move(label), {Bytes(raw.begin(), raw.end()), Bytes(proof.begin(), proof.end())}});
}

}  // namespace rightchain::exec::testing
