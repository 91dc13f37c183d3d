#include "ledger/block_execution.h"

#include "consensus/commit_certificate.h"
#include "ledger/roots.h"
#include "merkle/tree_hash.h"

namespace rightchain::ledger {
namespace {

// Executes `block.transactions` and fills every header field that follows from execution.
Result<ExecutedBlock> Execute(const ChainIdentity& chain, const ChainStore& store,
                              const exec::Executor& executor, Block block,
                              const std::vector<bool>& signatures_verified) {
  const crypto::HashAlgorithm algorithm = crypto::GetSuite(chain.suite).hash;
  ExecutedBlock executed;
  std::vector<exec::TransactionToExecute> inputs;
  inputs.reserve(block.transactions.size());
  for (std::size_t i = 0; i < block.transactions.size(); ++i) {
    const bool verified = i < signatures_verified.size() && signatures_verified[i];
    inputs.push_back({&block.transactions[i], verified});
  }
  const exec::BlockContext context{chain.chain_id, chain.suite, block.header.height,
                                   block.header.time_milliseconds};
  RC_ASSIGN_OR_RETURN(exec::BlockExecution execution, executor.ExecuteBlock(context, store.state(), inputs));
  // A block may carry rejected transactions, but not one whose signature fails: its signer never
  // signed it. Refusing such a block is what lets a node that syncs certified blocks, and a
  // proposer executing its own checked mempool, skip the signature checks and still compute the
  // same receipts as every validator.
  for (const exec::Receipt& receipt : execution.receipts) {
    if (receipt.status == exec::ReceiptStatus::kBadSignature) {
      return Status::VerificationFailed("block carries transaction " + HexEncode(receipt.transaction_id) +
                                        " whose signature does not verify");
    }
  }

  std::vector<crypto::Digest> leaf_hashes;
  leaf_hashes.reserve(block.transactions.size());
  executed.log_leaves.reserve(block.transactions.size());
  for (std::size_t i = 0; i < block.transactions.size(); ++i) {
    executed.log_leaves.push_back(EncodeLogLeaf(LogLeaf{block.transactions[i], execution.receipts[i]}));
    leaf_hashes.push_back(merkle::LeafHash(algorithm, executed.log_leaves.back()));
  }
  RC_ASSIGN_OR_RETURN(executed.log_batch, store.log().PrepareAppend(leaf_hashes));

  BlockHeader& header = block.header;
  header.transactions_root = TransactionsRoot(algorithm, block.transactions);
  header.receipts_root = ReceiptsRoot(algorithm, execution.receipts);
  header.log_size = executed.log_batch.new_size;
  RC_ASSIGN_OR_RETURN(header.log_root, store.LogRootAfter(executed.log_batch));
  header.state_root = NextStateRoot(algorithm, store.head().state_root, execution.changes.Digest(algorithm));
  executed.receipts = std::move(execution.receipts);
  executed.state_changes = std::move(execution.changes);
  executed.validator_changes = std::move(execution.validator_changes);
  executed.block_hash = BlockHash(algorithm, header);
  executed.block = std::move(block);
  return executed;
}

Status CheckLinkage(const ChainIdentity& chain, const ChainStore& store, const Block& block) {
  const BlockHeader& header = block.header;
  const ChainHead& head = store.head();
  if (header.chain_id != chain.chain_id)
    return Status::VerificationFailed("block is for chain '" + header.chain_id + "'");
  if (header.height != head.height + 1) {
    return Status::VerificationFailed("block height " + std::to_string(header.height) + " does not follow " +
                                      std::to_string(head.height));
  }
  if (header.previous_block_hash != head.block_hash)
    return Status::VerificationFailed("previous_block_hash mismatch");
  if (head.height > 0 && header.time_milliseconds <= head.time_milliseconds) {
    return Status::VerificationFailed("block time does not increase");
  }
  const crypto::HashAlgorithm algorithm = crypto::GetSuite(chain.suite).hash;
  const crypto::Digest previous_commit_hash =
      block.last_commit.has_value() ? CommitCertificateHash(algorithm, *block.last_commit) : crypto::Digest{};
  if (header.previous_commit_hash != previous_commit_hash) {
    return Status::VerificationFailed("previous_commit_hash does not match the block's last commit");
  }
  return Status::Ok();
}

}  // namespace

Status VerifyLastCommit(const ChainIdentity& chain, const ChainStore& store, const Block& block,
                        const PreviousValidators& previous) {
  const ChainHead& head = store.head();
  if (head.height == 0) {
    if (block.last_commit.has_value())
      return Status::VerificationFailed("the first block carries a last commit");
    return Status::Ok();
  }
  if (!block.last_commit.has_value())
    return Status::VerificationFailed("block carries no certificate of height " +
                                      std::to_string(head.height));
  const consensus::CommitCertificate& certificate = *block.last_commit;
  if (certificate.height != head.height || certificate.block_hash != head.block_hash) {
    return Status::VerificationFailed("last commit is not for block " + std::to_string(head.height) + " " +
                                      HexEncode(head.block_hash));
  }
  RC_ASSERT(previous.validators != nullptr && previous.verifier != nullptr);
  if (const Status verified = consensus::VerifyCommitCertificate(chain.chain_id, certificate,
                                                                 *previous.validators, *previous.verifier);
      !verified.ok()) {
    return Status::VerificationFailed("last commit does not verify: " + verified.message());
  }
  return Status::Ok();
}

Result<ExecutedBlock> ExecuteNewBlock(const ChainIdentity& chain, const ChainStore& store,
                                      const exec::Executor& executor, NewBlock input,
                                      const PreviousValidators& previous) {
  const crypto::HashAlgorithm algorithm = crypto::GetSuite(chain.suite).hash;
  Block block;
  BlockHeader& header = block.header;
  header.chain_id = chain.chain_id;
  header.height = store.head().height + 1;
  header.time_milliseconds = input.time_milliseconds;
  header.previous_block_hash = store.head().block_hash;
  block.last_commit = std::move(input.last_commit);
  if (block.last_commit.has_value())
    header.previous_commit_hash = CommitCertificateHash(algorithm, *block.last_commit);
  header.validator_set_hash = input.validator_set_hash;
  header.next_validator_set_hash = input.next_validator_set_hash;
  header.proposer_key_id = input.proposer_key_id;
  block.transactions = std::move(input.transactions);
  RC_RETURN_IF_ERROR(CheckLinkage(chain, store, block));
  RC_RETURN_IF_ERROR(VerifyLastCommit(chain, store, block, previous));
  return Execute(chain, store, executor, std::move(block), input.signatures_verified);
}

Result<ExecutedBlock> ExecuteReceivedBlock(const ChainIdentity& chain, const ChainStore& store,
                                           const exec::Executor& executor, const Block& block,
                                           const PreviousValidators& previous,
                                           const std::vector<bool>& signatures_verified) {
  RC_RETURN_IF_ERROR(CheckLinkage(chain, store, block));
  // Before execution: a forged certificate costs the receiver signature checks, not a block's work.
  RC_RETURN_IF_ERROR(VerifyLastCommit(chain, store, block, previous));
  RC_ASSIGN_OR_RETURN(ExecutedBlock executed, Execute(chain, store, executor, block, signatures_verified));
  const BlockHeader& claimed = block.header;
  const BlockHeader& computed = executed.block.header;
  const auto mismatch = [](std::string_view field) {
    return Status::VerificationFailed("block header " + std::string(field) + " does not match execution");
  };
  if (claimed.transactions_root != computed.transactions_root) return mismatch("transactions_root");
  if (claimed.receipts_root != computed.receipts_root) return mismatch("receipts_root");
  if (claimed.log_size != computed.log_size) return mismatch("log_size");
  if (claimed.log_root != computed.log_root) return mismatch("log_root");
  if (claimed.state_root != computed.state_root) return mismatch("state_root");
  RC_ASSERT(claimed == computed);
  return executed;
}

Status CommitExecutedBlock(ChainStore& store, const ExecutedBlock& executed,
                           const consensus::CommitCertificate& certificate) {
  BlockCommit commit;
  commit.block = &executed.block;
  commit.receipts = &executed.receipts;
  commit.state_changes = &executed.state_changes;
  commit.log_batch = &executed.log_batch;
  commit.log_leaves = &executed.log_leaves;
  commit.seen_certificate = &certificate;
  return store.Commit(commit);
}

}  // namespace rightchain::ledger
