// Free permanent writes: an outsider who reaches one node's API sends transactions that execution
// can only reject. Each rejected receipt still costs every member disk space for good (the
// transaction stays in its block and in the log), so admission refuses what committed state
// already condemns: a key that is no account, an account without the kind's role, a governance
// transaction from a non-member, an unknown kind, a creation for a key that has an account, or
// from a key that is no sponsor, or from a sponsor past its day's quota.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "crypto/hash.h"
#include "exec/account.h"
#include "exec/executor.h"
#include "exec/record_payloads.h"
#include "exec/sponsorship.h"
#include "node/testing/cluster.h"

namespace rightchain::node {
namespace {

using testing::Cluster;
using testing::MakeKey;
using testing::MakeSignedTransaction;

constexpr std::uint64_t kExpiry = 5000;

std::uint16_t Kind(exec::TransactionKind kind) {
  return static_cast<std::uint16_t>(kind);
}

// An account creation for `holder`, signed by `sponsor`.
codec::SignedTransaction Creation(const crypto::PrivateKey& sponsor, std::uint64_t nonce,
                                  const crypto::PrivateKey& holder, exec::AccountKinds kinds) {
  return MakeSignedTransaction(
      sponsor, "cluster-test", nonce, kExpiry, Kind(exec::TransactionKind::kCreateAccount),
      exec::testing::MakeCreateAccountPayload(holder, "cluster-test", kinds, "holder"));
}

// The code the API reports ("unknown_account"), or "admitted".
std::string CodeOf(const std::variant<crypto::Digest, mempool::Rejection>& result) {
  if (!std::holds_alternative<mempool::Rejection>(result)) return "admitted";
  return std::string(mempool::RejectionCodeName(std::get<mempool::Rejection>(result).code));
}

class AdmissionAttackTest : public ::testing::TestWithParam<crypto::SuiteId> {
 protected:
  // Runs until every node holds the transaction in a committed block.
  static bool CommitEverywhere(Cluster& cluster, const crypto::Digest& id) {
    return cluster.RunUntil(
        [&] {
          for (std::size_t node = 0; node < cluster.size(); ++node) {
            if (!cluster.Committed(node, id)) return false;
          }
          return true;
        },
        60'000);
  }
};

TEST_P(AdmissionAttackTest, OutsiderKeysThatAreNoAccountWriteNothing) {
  Cluster cluster(GetParam(), 4, 0, 17);
  const auto outsider = MakeKey(GetParam(), 60);
  // Large payloads: execution would reject each at its sender check, after its bytes were stored.
  const Bytes filler(100'000, 'x');
  std::vector<codec::SignedTransaction> attack;
  std::uint64_t nonce = 0;
  for (const exec::TransactionKind kind :
       {exec::TransactionKind::kRegisterWork, exec::TransactionKind::kAnchorBatch,
        exec::TransactionKind::kEvidence, exec::TransactionKind::kTimeStamp,
        exec::TransactionKind::kRotateKey}) {
    for (int copy = 0; copy < 3; ++copy)
      attack.push_back(MakeSignedTransaction(outsider, "cluster-test", nonce++, kExpiry, Kind(kind), filler));
  }
  // Through a single submission, a client's batch (signatures checked by the API threads) and a
  // member's gossip: all three paths reach the same admission rules.
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(CodeOf(cluster.Submit(0, attack[i])), "unknown_account");
  cluster.SubmitBatch(1, std::vector<codec::SignedTransaction>(attack.begin() + 5, attack.begin() + 10));
  for (std::size_t i = 10; i < attack.size(); ++i)
    cluster.Deliver(2, 3, EncodeWire(WireType::kTransaction, codec::EncodeSignedTransaction(attack[i])));
  // A governance proposal and an unknown kind from the outsider.
  EXPECT_EQ(CodeOf(cluster.Submit(0, MakeSignedTransaction(outsider, "cluster-test", nonce++, kExpiry,
                                                           Kind(exec::TransactionKind::kPropose), filler))),
            "not_a_member");
  EXPECT_EQ(CodeOf(cluster.Submit(
                0, MakeSignedTransaction(outsider, "cluster-test", nonce++, kExpiry, 999, filler))),
            "unknown_kind");

  // An honest transaction afterwards commits on every member; none of the outsider's does.
  const auto honest = MakeSignedTransaction(MakeKey(GetParam(), 61), "cluster-test", 0, kExpiry);
  const auto admitted = cluster.Submit(3, honest);
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(admitted));
  ASSERT_TRUE(CommitEverywhere(cluster, std::get<crypto::Digest>(admitted)));
  const crypto::HashAlgorithm hash = crypto::GetSuite(GetParam()).hash;
  for (std::size_t node = 0; node < cluster.size(); ++node) {
    for (const codec::SignedTransaction& transaction : attack) {
      EXPECT_FALSE(cluster.Committed(node, codec::TransactionId(hash, transaction.transaction)))
          << "node " << node;
    }
    EXPECT_EQ(cluster.Store(node).log().size(), 1u)
        << "node " << node << " stored the outsider's transactions";
  }
}

TEST_P(AdmissionAttackTest, AccountsWithoutTheKindsRoleAreRefusedAtAdmission) {
  Cluster cluster(GetParam(), 4, 0, 18);
  const auto sponsor = MakeKey(GetParam(), testing::kSponsorSeedByte);
  const auto person = MakeKey(GetParam(), 62);
  const auto created = cluster.Submit(0, Creation(sponsor, 0, person, exec::kPersonKind));
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(created))
      << std::get<mempool::Rejection>(created).message;
  ASSERT_TRUE(CommitEverywhere(cluster, std::get<crypto::Digest>(created)));
  const std::uint64_t stored = cluster.Store(0).log().size();

  // A person is no platform (batches) nor an authority (endorsements, grants) nor a sponsor; a
  // key that already has an account gets no second one; nobody is created a platform.
  const Bytes filler(50'000, 'x');
  EXPECT_EQ(
      CodeOf(cluster.Submit(1, MakeSignedTransaction(person, "cluster-test", 1, kExpiry,
                                                     Kind(exec::TransactionKind::kAnchorBatch), filler))),
      "missing_role");
  EXPECT_EQ(CodeOf(cluster.Submit(1, MakeSignedTransaction(person, "cluster-test", 2, kExpiry,
                                                           Kind(exec::TransactionKind::kEndorse), filler))),
            "missing_role");
  EXPECT_EQ(
      CodeOf(cluster.Submit(1, MakeSignedTransaction(person, "cluster-test", 3, kExpiry,
                                                     Kind(exec::TransactionKind::kGrantKinds), filler))),
      "missing_role");
  const auto other = MakeKey(GetParam(), 63);
  EXPECT_EQ(CodeOf(cluster.Submit(1, Creation(person, 4, other, exec::kPersonKind))), "missing_role");
  EXPECT_EQ(CodeOf(cluster.Submit(1, Creation(sponsor, 1, person, exec::kPersonKind))), "account_exists");
  EXPECT_EQ(CodeOf(cluster.Submit(1, Creation(sponsor, 2, other, exec::kPlatformKind))), "missing_role");

  // What only execution can judge is still admitted: evidence from an account commits (here
  // rejected for its malformed payload, as before).
  const auto evidence = cluster.Submit(
      2, MakeSignedTransaction(person, "cluster-test", 5, kExpiry, Kind(exec::TransactionKind::kEvidence),
                               ToBytes("not evidence")));
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(evidence));
  ASSERT_TRUE(CommitEverywhere(cluster, std::get<crypto::Digest>(evidence)));
  for (std::size_t node = 0; node < cluster.size(); ++node)
    EXPECT_EQ(cluster.Store(node).log().size(), stored + 1) << "node " << node;
}

// Nobody creates an account for their own key: a creation needs a sponsor (a platform or an
// authority), and a sponsor creates at most its day's quota.
TEST_P(AdmissionAttackTest, AccountsNeedASponsorWithinItsQuota) {
  Cluster cluster(GetParam(), 4, 0, 19);
  const auto outsider = MakeKey(GetParam(), 64);
  EXPECT_EQ(CodeOf(cluster.Submit(0, Creation(outsider, 0, outsider, exec::kPersonKind))), "unknown_account");

  const auto sponsor = MakeKey(GetParam(), testing::kSponsorSeedByte);
  std::vector<codec::SignedTransaction> creations;
  for (std::uint32_t i = 0; i <= exec::kMaxSponsoredAccountsPerDay; ++i) {
    const crypto::Digest seed =
        crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("holder " + std::to_string(i)));
    const auto holder =
        crypto::PrivateKey::FromRaw(crypto::GetSuite(GetParam()).signature, Bytes(seed.begin(), seed.end()))
            .value();
    creations.push_back(Creation(sponsor, i, holder, exec::kPersonKind));
  }
  // Admission counts committed creations only: all of these are admitted, and execution refuses
  // the one past the quota.
  cluster.SubmitBatch(0, creations);
  const crypto::HashAlgorithm hash = crypto::GetSuite(GetParam()).hash;
  const crypto::Digest last = codec::TransactionId(hash, creations.back().transaction);
  ASSERT_TRUE(CommitEverywhere(cluster, last));
  for (std::size_t i = 0; i < creations.size(); ++i) {
    const auto location =
        cluster.Store(0).FindTransaction(codec::TransactionId(hash, creations[i].transaction));
    ASSERT_TRUE(location.ok() && location->has_value()) << i;
    const auto leaf = cluster.Store(0).LeafAt((*location)->log_index);
    ASSERT_TRUE(leaf.ok());
    EXPECT_EQ(leaf->receipt.status, i < exec::kMaxSponsoredAccountsPerDay
                                        ? exec::ReceiptStatus::kOk
                                        : exec::ReceiptStatus::kQuotaExceeded)
        << i;
  }
  const auto sponsored = exec::LoadSponsoredCount(cluster.Store(0).state(), sponsor.public_key().key_id(),
                                                  exec::QuotaDay(cluster.Store(0).head().time_milliseconds));
  ASSERT_TRUE(sponsored.ok());
  EXPECT_EQ(*sponsored, exec::kMaxSponsoredAccountsPerDay);
  // Once they are committed, the next creation is refused before it is stored.
  const auto more = MakeKey(GetParam(), 65);
  EXPECT_EQ(CodeOf(cluster.Submit(1, Creation(sponsor, 5000, more, exec::kPersonKind))), "quota_exceeded");
}

INSTANTIATE_TEST_SUITE_P(BothSuites, AdmissionAttackTest,
                         ::testing::Values(crypto::SuiteId::kSm, crypto::SuiteId::kStd),
                         [](const auto& test_info) {
                           return std::string(crypto::SuiteName(test_info.param));
                         });

}  // namespace
}  // namespace rightchain::node
