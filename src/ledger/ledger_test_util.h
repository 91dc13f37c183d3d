// Test helpers: a chain of executed blocks with fake certificates.
#pragma once

#include "exec/exec_test_util.h"
#include "ledger/block_execution.h"

namespace rightchain::ledger::testing {

// A certificate with placeholder signatures: the ledger stores certificates, the consensus module
// verifies them.
inline consensus::CommitCertificate FakeCertificate(std::uint64_t height, const crypto::Digest& block_hash) {
  consensus::CommitCertificate certificate;
  certificate.height = height;
  certificate.round = 0;
  certificate.block_hash = block_hash;
  for (std::uint32_t validator = 0; validator < 4; ++validator) {
    consensus::Vote vote;
    vote.type = consensus::VoteType::kPrecommit;
    vote.height = height;
    vote.block_hash = block_hash;
    vote.validator = validator;
    vote.signature = Bytes(64, static_cast<std::uint8_t>(validator + 1));
    certificate.precommits.push_back(vote);
  }
  return certificate;
}

}  // namespace rightchain::ledger::testing
