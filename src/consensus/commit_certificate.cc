#include "consensus/commit_certificate.h"

#include <vector>

#include "consensus/messages.h"

namespace rightchain::consensus {

Status VerifyCommitCertificate(std::string_view chain_id, const CommitCertificate& certificate,
                               const ValidatorSet& validators, const SignatureVerifier& verifier) {
  if (certificate.precommits.size() > validators.size()) {
    return Status::InvalidArgument("commit certificate has more precommits than validators");
  }
  std::vector<bool> seen(validators.size(), false);
  std::int64_t power = 0;
  for (const Vote& vote : certificate.precommits) {
    if (vote.type != VoteType::kPrecommit || vote.height != certificate.height ||
        vote.round != certificate.round || vote.block_hash != certificate.block_hash) {
      return Status::VerificationFailed("commit certificate holds a vote for something else");
    }
    if (vote.validator >= validators.size())
      return Status::VerificationFailed("commit certificate: unknown validator");
    if (seen[vote.validator])
      return Status::VerificationFailed("commit certificate: validator counted twice");
    seen[vote.validator] = true;
    if (!verifier.Verify(validators.at(vote.validator).public_key, VoteSignBytes(chain_id, vote),
                         vote.signature)) {
      return Status::VerificationFailed("commit certificate: bad precommit signature");
    }
    power += validators.at(vote.validator).voting_power;
  }
  if (!validators.IsQuorum(power))
    return Status::VerificationFailed("commit certificate lacks more than 2/3 power");
  return Status::Ok();
}

}  // namespace rightchain::consensus
