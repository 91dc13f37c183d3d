// libFuzzer target: the copyright-record, time-stamp and governance payloads and rules on
// arbitrary bytes (the signer is also the single regulator-consensus member, so proposals pass).
// Properties: decoding never crashes or reads out of bounds; whatever a payload decoder accepts
// re-encodes to exactly the input (canonical); and executing any payload as any record kind, by
// an authority that is also a platform, gives a receipt (never an execution error, never a crash).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "base/assert.h"
#include "exec/exec_test_util.h"
#include "exec/governance_payloads.h"
#include "exec/record_payloads.h"
#include "exec/records.h"

namespace {

using namespace rightchain;  // NOLINT: a fuzz target

template <typename Decode>
void CheckCanonical(ByteView input, Decode decode) {
  const auto decoded = decode(input);
  if (!decoded.ok()) return;
  const Bytes encoded = exec::EncodePayload(*decoded);  // records', time-stamps' and governance's
  RC_ASSERT(encoded.size() == input.size() && std::equal(encoded.begin(), encoded.end(), input.begin()));
}

constexpr std::array<exec::TransactionKind, 15> kKinds = {
    exec::TransactionKind::kCreateAccount, exec::TransactionKind::kGrantKinds,
    exec::TransactionKind::kWithdrawKinds, exec::TransactionKind::kAttestIdentity,
    exec::TransactionKind::kRotateKey,     exec::TransactionKind::kRevokeKey,
    exec::TransactionKind::kRecoverKey,    exec::TransactionKind::kRegisterWork,
    exec::TransactionKind::kIndexedBatch,  exec::TransactionKind::kAnchorBatch,
    exec::TransactionKind::kEndorse,       exec::TransactionKind::kEvidence,
    exec::TransactionKind::kTimeStamp,     exec::TransactionKind::kPropose,
    exec::TransactionKind::kApprove};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView payload(data + 1, size - 1);
  CheckCanonical(payload, exec::DecodeCreateAccountPayload);
  CheckCanonical(payload, exec::DecodeChangeKindsPayload);
  CheckCanonical(payload, exec::DecodeAttestIdentityPayload);
  CheckCanonical(payload, exec::DecodeRotateKeyPayload);
  CheckCanonical(payload, exec::DecodeRevokeKeyPayload);
  CheckCanonical(payload, exec::DecodeRecoverKeyPayload);
  CheckCanonical(payload, exec::DecodeWorkDescription);
  CheckCanonical(payload, exec::DecodeIndexedBatchPayload);
  CheckCanonical(payload, exec::DecodeAnchorBatchPayload);
  CheckCanonical(payload, exec::DecodeEndorsePayload);
  CheckCanonical(payload, exec::DecodeEvidencePayload);
  CheckCanonical(payload, exec::DecodeTimeStampPayload);
  CheckCanonical(payload, exec::DecodeProposePayload);
  CheckCanonical(payload, exec::DecodeApprovePayload);

  static const crypto::PrivateKey authority = exec::testing::MakeKey(crypto::SuiteId::kStd, 1);
  static const exec::Executor executor = [] {
    exec::Genesis genesis;
    genesis.chain_id = "fuzz";
    genesis.suite = crypto::SuiteId::kStd;
    const ByteView key = authority.public_key().raw();
    genesis.members.push_back(
        {"node-0", exec::NodeRole::kRegulatorConsensus, Bytes(key.begin(), key.end()), 1});
    genesis.accounts.push_back(
        {"authority", exec::kRegulatorKind | exec::kPlatformKind, Bytes(key.begin(), key.end())});
    return exec::MakeStandardExecutor(genesis);
  }();
  const exec::TransactionKind kind = kKinds[data[0] % kKinds.size()];
  const codec::SignedTransaction transaction = exec::testing::MakeSignedTransaction(
      authority, "fuzz", 1, 10, static_cast<std::uint16_t>(kind), Bytes(payload.begin(), payload.end()));
  exec::MemoryState state;
  const exec::TransactionToExecute input{&transaction, /*signature_verified=*/true};
  const exec::BlockContext block{"fuzz", crypto::SuiteId::kStd, 1, 1'800'000'000'000};
  const auto execution = executor.ExecuteBlock(block, state, std::span(&input, 1));
  RC_ASSERT(execution.ok());
  RC_ASSERT(execution->receipts.size() == 1);
  return 0;
}
