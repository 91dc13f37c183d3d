// Signer safety state: what a validator has signed last, per lane. Before any signature leaves the
// node this state is durable (the host fsyncs it, see engine.h), so that after a crash the
// validator never signs two different things for one (height, round, step).
//
// Lanes keep independent orders: consensus messages use (height, round, step); other signed
// objects, such as log checkpoints, use their own lane with (height, 0, 0), which forbids two
// different checkpoints for one height.
#pragma once

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "consensus/types.h"

namespace rightchain::consensus {

enum class SigningLane : std::uint8_t {
  kConsensus = 0,
  kCheckpoint = 1,
};
inline constexpr std::size_t kSigningLaneCount = 2;

struct SignedPosition {
  Height height = 0;
  Round round = kNoRound;
  std::uint8_t step = 0;  // Step for the consensus lane, 0 elsewhere
  auto operator<=>(const SignedPosition&) const = default;
};

struct LaneState {
  bool has_signed = false;
  SignedPosition position;
  Bytes sign_bytes;  // exactly what was signed last
  Bytes signature;
  friend bool operator==(const LaneState&, const LaneState&) = default;
};

enum class SignDecision {
  kSignNew,  // a position after the last one: sign, then Record()
  kReuse,    // exactly the same bytes as last time: send the stored signature again
  kRefuse,   // earlier position, or different bytes at the same position: never sign
};

struct SignerSafetyState {
  std::array<LaneState, kSigningLaneCount> lanes;

  SignDecision Check(SigningLane lane, SignedPosition position, ByteView sign_bytes) const;
  void Record(SigningLane lane, SignedPosition position, Bytes sign_bytes, Bytes signature);
  const LaneState& lane(SigningLane which) const { return lanes[static_cast<std::size_t>(which)]; }

  friend bool operator==(const SignerSafetyState&, const SignerSafetyState&) = default;
};

}  // namespace rightchain::consensus
