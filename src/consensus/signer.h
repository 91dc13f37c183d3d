// The consensus engine signs and verifies through these two small interfaces, so that the node
// can use the chain's suite (SM2 or Ed25519) and the simulator a fast fake.
#pragma once

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::consensus {

class Signer {
 public:
  virtual ~Signer() = default;
  virtual Bytes public_key() const = 0;
  // Signs `message` (already canonical and domain-tagged).
  virtual Result<Bytes> Sign(ByteView message) = 0;
};

class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  virtual bool Verify(ByteView public_key, ByteView message, ByteView signature) const = 0;
};

// FOR TESTS AND THE SIMULATOR ONLY: a keyed checksum, not a signature scheme. Anyone who knows
// the public key can "sign"; it only lets the simulator run millions of votes per second while
// still rejecting corrupted or misattributed signatures.
class FakeSigner final : public Signer {
 public:
  explicit FakeSigner(Bytes public_key) : public_key_(std::move(public_key)) {}
  Bytes public_key() const override { return public_key_; }
  Result<Bytes> Sign(ByteView message) override;

 private:
  Bytes public_key_;
};

class FakeVerifier final : public SignatureVerifier {
 public:
  bool Verify(ByteView public_key, ByteView message, ByteView signature) const override;
};

// The fake signature of `message` under `public_key` (16 bytes).
Bytes FakeSignature(ByteView public_key, ByteView message);

}  // namespace rightchain::consensus
