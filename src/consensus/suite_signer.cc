#include "consensus/suite_signer.h"

namespace rightchain::consensus {

Bytes SuiteSigner::public_key() const {
  const ByteView raw = key_.public_key().raw();
  return Bytes(raw.begin(), raw.end());
}

Result<Bytes> SuiteSigner::Sign(ByteView message) {
  // Tagged objects start with 0x00; anything else must be a C2SP signed-note text (a checkpoint),
  // which the key signs as a note. Domain separation holds either way (crypto/domain.h).
  const bool note = !message.empty() && message.front() != 0x00;
  RC_ASSIGN_OR_RETURN(
      const crypto::Signature signature,
      note ? key_.SignNote(std::string_view(reinterpret_cast<const char*>(message.data()), message.size()))
           : key_.Sign(message));
  return Bytes(signature.begin(), signature.end());
}

bool SuiteVerifier::Verify(ByteView public_key, ByteView message, ByteView signature) const {
  const Result<crypto::PublicKey> key = parsed_.Get(scheme_, public_key);
  return key.ok() && key->Verify(message, signature).ok();
}

}  // namespace rightchain::consensus
