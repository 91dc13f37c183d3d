#include "node/checkpoint_collector.h"

#include "base/assert.h"
#include "proofs/signed_note.h"

namespace rightchain::node {
namespace {

// Signatures for heights this far above the committed one are refused: a peer cannot make the
// node hold signatures for arbitrary future heights.
constexpr std::uint64_t kMaxHeightsAhead = 8;

}  // namespace

Status CheckpointCollector::Verify(const SignerSet& signers, std::uint32_t member, const std::string& body,
                                   const Bytes& signature) {
  const auto found = signers.by_member.find(member);
  if (found == signers.by_member.end()) {
    return Status::InvalidArgument("a checkpoint signature from a member without a vote at its height");
  }
  const Signer& signer = found->second;
  if (!signer.key.VerifyNote(body, signature).ok()) {
    return Status::VerificationFailed("checkpoint signature of " + signer.key_name + " does not verify");
  }
  return Status::Ok();
}

std::optional<std::string> CheckpointCollector::NoteIfNew(Pending& pending) {
  if (!pending.body.has_value()) return std::nullopt;
  const std::uint64_t total_power = pending.signers->total_power;
  // Strictly more than 2/3: 3 × signed > 2 × total.
  // No overflow: each power is at most 2^40 and the validators at most 256.
  if (3 * pending.power <= 2 * total_power) {
    return std::nullopt;
  }
  const bool complete = pending.power == total_power;
  if (pending.emitted_final && (!complete || pending.emitted_complete)) return std::nullopt;
  pending.emitted_final = true;
  pending.emitted_complete = complete;
  proofs::SignedNote note{*pending.body, {}};
  for (const auto& [member, signature] : pending.signatures) {
    const Signer& signer = pending.signers->by_member.at(member);
    note.signatures.push_back(proofs::MakeNoteSignature(signer.key_name, signer.key, signature));
  }
  return proofs::FormatSignedNote(note);
}

void CheckpointCollector::Forget() {
  while (pending_.size() > kMaxPendingHeights) pending_.erase(pending_.begin());
}

std::optional<std::string> CheckpointCollector::AddCommitted(std::uint64_t height, std::string body,
                                                             std::shared_ptr<const SignerSet> signers) {
  RC_ASSERT(signers != nullptr && signers->total_power > 0);
  highest_committed_ = std::max(highest_committed_, height);
  Pending& pending = pending_[height];
  pending.body = std::move(body);
  pending.signers = std::move(signers);
  // Signatures that arrived first are checked now; bad ones are dropped.
  pending.power = 0;
  std::erase_if(pending.signatures, [&](const auto& entry) {
    return !Verify(*pending.signers, entry.first, *pending.body, entry.second).ok();
  });
  for (const auto& [member, signature] : pending.signatures)
    pending.power += pending.signers->by_member.at(member).voting_power;
  std::optional<std::string> note = NoteIfNew(pending);
  Forget();
  return note;
}

Result<std::optional<std::string>> CheckpointCollector::AddSignature(std::uint32_t member,
                                                                     std::uint64_t height, Bytes signature) {
  if (height + kMaxPendingHeights < highest_committed_ || height > highest_committed_ + kMaxHeightsAhead) {
    return std::optional<std::string>();  // outside the window: ignored, not an offence
  }
  Pending& pending = pending_[height];
  if (pending.signatures.count(member) != 0) return std::optional<std::string>();  // already have it
  if (!pending.body.has_value()) {
    pending.signatures.emplace(member, std::move(signature));  // checked once the body is known
    Forget();
    return std::optional<std::string>();
  }
  RC_RETURN_IF_ERROR(Verify(*pending.signers, member, *pending.body, signature));
  pending.signatures.emplace(member, std::move(signature));
  pending.power += pending.signers->by_member.at(member).voting_power;
  return NoteIfNew(pending);
}

}  // namespace rightchain::node
