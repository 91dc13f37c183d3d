// Test helpers: real commit certificates, signed with the consensus module's fake signatures
// (keyed checksums), so that blocks carry last commits that verify.
#pragma once

#include <string_view>
#include <vector>

#include "consensus/messages.h"
#include "consensus/signer.h"
#include "consensus/validator_set.h"
#include "exec/exec_test_util.h"
#include "ledger/block_execution.h"

namespace rightchain::ledger::testing {

// Four validators of power 10 each; every height has them.
class TestValidators {
 public:
  TestValidators() {
    std::vector<consensus::Validator> validators;
    for (std::uint8_t index = 1; index <= 4; ++index) validators.push_back({Bytes(32, index), 10, 0});
    Result<consensus::ValidatorSet> set = consensus::ValidatorSet::Create(std::move(validators));
    RC_ASSERT(set.ok());
    set_ = std::move(set).value();
  }

  // Precommits of the first `signers` validators for (height, round 0, block_hash).
  consensus::CommitCertificate Certificate(std::string_view chain_id, std::uint64_t height,
                                           const crypto::Digest& block_hash,
                                           std::uint32_t signers = 4) const {
    consensus::CommitCertificate certificate;
    certificate.height = height;
    certificate.round = 0;
    certificate.block_hash = block_hash;
    for (std::uint32_t validator = 0; validator < signers; ++validator) {
      consensus::Vote vote;
      vote.type = consensus::VoteType::kPrecommit;
      vote.height = height;
      vote.block_hash = block_hash;
      vote.validator = validator;
      vote.signature = consensus::FakeSignature(set_.validators()[validator].public_key,
                                                consensus::VoteSignBytes(chain_id, vote));
      certificate.precommits.push_back(vote);
    }
    return certificate;
  }

  PreviousValidators previous() const { return {&set_, &verifier_}; }

 private:
  consensus::ValidatorSet set_;
  consensus::FakeVerifier verifier_;
};

}  // namespace rightchain::ledger::testing
