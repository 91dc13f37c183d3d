#include "consensus/signer_safety.h"

#include <algorithm>

namespace rightchain::consensus {

SignDecision SignerSafetyState::Check(SigningLane which, SignedPosition position, ByteView sign_bytes) const {
  const LaneState& state = lane(which);
  if (!state.has_signed || position > state.position) return SignDecision::kSignNew;
  if (position == state.position &&
      std::equal(sign_bytes.begin(), sign_bytes.end(), state.sign_bytes.begin(), state.sign_bytes.end())) {
    return SignDecision::kReuse;
  }
  return SignDecision::kRefuse;
}

void SignerSafetyState::Record(SigningLane which, SignedPosition position, Bytes sign_bytes,
                               Bytes signature) {
  LaneState& state = lanes[static_cast<std::size_t>(which)];
  RC_ASSERT(!state.has_signed || position > state.position);
  state.has_signed = true;
  state.position = position;
  state.sign_bytes = std::move(sign_bytes);
  state.signature = std::move(signature);
}

}  // namespace rightchain::consensus
