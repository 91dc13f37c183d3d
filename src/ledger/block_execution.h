// Executing a block against the committed chain: the proposer fills a new block's header from the
// result; every other node re-executes a received block and checks that its header says the same.
// Pure apart from reads of the ChainStore (state, log).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/status.h"
#include "consensus/signer.h"
#include "consensus/validator_set.h"
#include "exec/executor.h"
#include "ledger/block.h"
#include "ledger/chain_store.h"

namespace rightchain::ledger {

struct ChainIdentity {
  std::string chain_id;
  crypto::SuiteId suite = crypto::SuiteId::kStd;
};

struct ExecutedBlock {
  Block block;
  std::vector<exec::Receipt> receipts;
  exec::StateChanges state_changes;
  merkle::LogWriteBatch log_batch;
  std::vector<Bytes> log_leaves;
  crypto::Digest block_hash{};
  // Voting-power changes the block decided (governance), in transaction order; the consensus
  // engine applies them from height + 2.
  std::vector<exec::ValidatorChange> validator_changes;
};

struct NewBlock {
  std::int64_t time_milliseconds = 0;
  std::vector<codec::SignedTransaction> transactions;
  std::vector<bool> signatures_verified;  // parallel to transactions; empty = none verified
  std::optional<consensus::CommitCertificate> last_commit;
  crypto::Digest validator_set_hash{};
  crypto::Digest next_validator_set_hash{};
  crypto::Digest proposer_key_id{};
};

// What a block's last commit (the certificate of the height before it) must verify against: the
// validator set of that previous height. Committing the block makes its last commit the stored,
// served certificate of that height, so a forged one would stop every node that syncs from here.
struct PreviousValidators {
  const consensus::ValidatorSet* validators = nullptr;  // of the head's height
  const consensus::SignatureVerifier* verifier = nullptr;
};

// Checks a block's last commit against the head of `store`: absent on top of genesis; otherwise
// for the head's height and block hash, signed by more than 2/3 of `previous`'s voting power.
Status VerifyLastCommit(const ChainIdentity& chain, const ChainStore& store, const Block& block,
                        const PreviousValidators& previous);

// Builds and executes the next block on top of `store`'s head (its last commit verified too).
Result<ExecutedBlock> ExecuteNewBlock(const ChainIdentity& chain, const ChainStore& store,
                                      const exec::Executor& executor, NewBlock input,
                                      const PreviousValidators& previous);

// Re-executes a received block on top of `store`'s head; fails with kVerificationFailed naming the
// first header field that does not match what execution produced (or linkage to the head, or a
// last commit that does not verify).
Result<ExecutedBlock> ExecuteReceivedBlock(const ChainIdentity& chain, const ChainStore& store,
                                           const exec::Executor& executor, const Block& block,
                                           const PreviousValidators& previous,
                                           const std::vector<bool>& signatures_verified = {});

// Commits an executed block with the certificate this node saw for it. Only blocks made by the two
// functions above get here, so the block's last commit, which replaces the stored certificate of
// the previous height, has been verified.
Status CommitExecutedBlock(ChainStore& store, const ExecutedBlock& executed,
                           const consensus::CommitCertificate& certificate);

}  // namespace rightchain::ledger
