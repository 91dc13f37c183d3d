// Internal to the crypto module and its tests: signing and verifying bytes WITHOUT the domain
// separation rules. Only for known-answer tests of the bare schemes (the RFC 8032 messages carry
// no domain tag). Everything else must use Sign/SignNote and Verify/VerifyNote.
#pragma once

#include "crypto/private_key.h"
#include "crypto/public_key.h"

namespace rightchain::crypto::internal {

Result<Signature> SignUntagged(const PrivateKey& key, ByteView message);
Status VerifyUntagged(const PublicKey& key, ByteView message, ByteView signature);

}  // namespace rightchain::crypto::internal
