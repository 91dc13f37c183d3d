// The copyright records' rules, on both suites: every record type and every rejection.
#include "exec/records.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "exec/exec_test_util.h"
#include "exec/record_payloads.h"
#include "exec/record_store.h"

namespace rightchain::exec {
namespace {

using testing::MakeCreateAccountPayload;
using testing::MakeKey;
using testing::MakeSignedTransaction;

constexpr std::string_view kChain = "records-test";
constexpr std::int64_t kBlockTimeMilliseconds = 1'790'000'000'000;

class RecordsTest : public ::testing::TestWithParam<crypto::SuiteId> {
 protected:
  RecordsTest() : regulator_(MakeKey(suite(), 1)), executor_(MakeStandardExecutor(MakeGenesis())) {
    // The block at height 1 applies the genesis accounts.
    RunBlock({});
  }

  crypto::SuiteId suite() const { return GetParam(); }

  Genesis MakeGenesis() const {
    Genesis genesis;
    genesis.chain_id = std::string(kChain);
    genesis.suite = suite();
    const crypto::PrivateKey validator = MakeKey(suite(), 200);
    const ByteView validator_key = validator.public_key().raw();
    genesis.members.push_back(
        {"node-0", NodeRole::kRegulatorConsensus, Bytes(validator_key.begin(), validator_key.end()), 1});
    const ByteView regulator_key = regulator_.public_key().raw();
    genesis.accounts.push_back(
        {"Regulator", kRegulatorKind, Bytes(regulator_key.begin(), regulator_key.end())});
    return genesis;
  }

  BlockExecution RunBlock(const std::vector<codec::SignedTransaction>& transactions) {
    const BlockContext block{kChain, suite(), ++height_,
                             kBlockTimeMilliseconds + static_cast<std::int64_t>(height_)};
    std::vector<TransactionToExecute> inputs;
    for (const auto& transaction : transactions) inputs.push_back({&transaction, false});
    Result<BlockExecution> execution = executor_.ExecuteBlock(block, state_, inputs);
    EXPECT_TRUE(execution.ok()) << execution.status().ToString();
    state_.Apply(execution->changes);
    return std::move(execution).value();
  }

  codec::SignedTransaction Sign(const crypto::PrivateKey& key, TransactionKind kind, Bytes payload) {
    return MakeSignedTransaction(key, std::string(kChain), ++nonce_, height_ + 100,
                                 static_cast<std::uint16_t>(kind), std::move(payload));
  }

  // One transaction in its own block; its receipt.
  Receipt Submit(const crypto::PrivateKey& key, TransactionKind kind, Bytes payload) {
    BlockExecution execution = RunBlock({Sign(key, kind, std::move(payload))});
    EXPECT_EQ(execution.receipts.size(), 1u);
    return execution.receipts.front();
  }

  ReceiptStatus StatusOf(const crypto::PrivateKey& key, TransactionKind kind, Bytes payload) {
    return Submit(key, kind, std::move(payload)).status;
  }

  // The creation of an account for `holder`, with its proof of possession, for a sponsor to sign.
  static Bytes Creation(const crypto::PrivateKey& holder, AccountKinds kinds, std::string label) {
    return MakeCreateAccountPayload(holder, kChain, kinds, std::move(label));
  }

  // A person's account, sponsored by the regulator.
  AccountId CreatePerson(const crypto::PrivateKey& key, std::string label = "reader") {
    const Receipt receipt =
        Submit(regulator_, TransactionKind::kCreateAccount, Creation(key, kPersonKind, std::move(label)));
    EXPECT_EQ(receipt.status, ReceiptStatus::kOk) << ReceiptStatusName(receipt.status);
    return key.public_key().key_id();
  }

  void Grant(const AccountId& account, AccountKinds kinds) {
    EXPECT_EQ(
        StatusOf(regulator_, TransactionKind::kGrantKinds, EncodePayload(ChangeKindsPayload{account, kinds})),
        ReceiptStatus::kOk);
  }

  static WorkDescription Work(const AccountId& owner, std::string_view content) {
    WorkDescription work;
    work.title = "A poem";
    work.kind = WorkKind::kText;
    work.content_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes(std::string(content)));
    work.authors = {"Li Bai"};
    work.owners = {{owner, kTotalShareBasisPoints}};
    work.claimed_creation_time_milliseconds = 1'700'000'000'000;
    work.where = "https://example.org/poem";
    return work;
  }

  RecordResult ResultOf(const Receipt& receipt) {
    EXPECT_EQ(receipt.status, ReceiptStatus::kOk) << ReceiptStatusName(receipt.status);
    Result<RecordResult> result = DecodeRecordResult(receipt.result);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : RecordResult{};
  }

  std::uint64_t Register(const crypto::PrivateKey& key, const WorkDescription& work) {
    return ResultOf(Submit(key, TransactionKind::kRegisterWork, EncodePayload(work))).record_id;
  }

  crypto::PrivateKey regulator_;
  Executor executor_;
  MemoryState state_;
  std::uint64_t height_ = 0;
  std::uint64_t nonce_ = 0;
};

TEST_P(RecordsTest, GenesisAccountsExistFromTheFirstBlock) {
  const Result<std::optional<Account>> account = LoadAccount(state_, regulator_.public_key().key_id());
  ASSERT_TRUE(account.ok());
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->kinds, kRegulatorKind);
  EXPECT_EQ((*account)->label, "Regulator");
  EXPECT_EQ((*account)->current_key, regulator_.public_key().key_id());
}

TEST_P(RecordsTest, AccountsAreCreatedOnceBySponsorsAndOnlyDeclarePersonOrOrganisation) {
  const auto alice = MakeKey(suite(), 10);
  const AccountId alice_id = CreatePerson(alice, "alice");
  EXPECT_EQ(StatusOf(regulator_, TransactionKind::kCreateAccount, Creation(alice, kPersonKind, "")),
            ReceiptStatus::kAccountExists);
  const auto bob = MakeKey(suite(), 11);
  // Nobody creates their own account: a key that is no account, or a person, sponsors nothing.
  EXPECT_EQ(StatusOf(bob, TransactionKind::kCreateAccount, Creation(bob, kPersonKind, "bob")),
            ReceiptStatus::kUnknownAccount);
  EXPECT_EQ(StatusOf(alice, TransactionKind::kCreateAccount, Creation(bob, kPersonKind, "bob")),
            ReceiptStatus::kMissingRole);
  EXPECT_EQ(StatusOf(regulator_, TransactionKind::kCreateAccount, Creation(bob, kPlatformKind, "p")),
            ReceiptStatus::kMissingRole);
  EXPECT_EQ(StatusOf(regulator_, TransactionKind::kCreateAccount, Creation(bob, 0, "p")),
            ReceiptStatus::kInvalidField);
  EXPECT_EQ(StatusOf(regulator_, TransactionKind::kCreateAccount,
                     Creation(bob, kPersonKind, std::string(kMaxAccountLabelSize + 1, 'x'))),
            ReceiptStatus::kFieldTooLarge);
  EXPECT_EQ(StatusOf(regulator_, TransactionKind::kCreateAccount, ToBytes("garbage")),
            ReceiptStatus::kMalformedPayload);
  // The holder proves possession of the key for this very account.
  CreateAccountPayload stolen = DecodeCreateAccountPayload(Creation(bob, kPersonKind, "bob")).value();
  const crypto::PrivateKey carol_key = MakeKey(suite(), 12);
  const ByteView carol = carol_key.public_key().raw();
  stolen.new_key.public_key.assign(carol.begin(), carol.end());
  EXPECT_EQ(StatusOf(regulator_, TransactionKind::kCreateAccount, EncodePayload(stolen)),
            ReceiptStatus::kBadKeyProof);

  const auto account = LoadAccount(state_, alice_id);
  ASSERT_TRUE(account.ok() && account->has_value());
  EXPECT_EQ((*account)->kinds, kPersonKind);
  EXPECT_EQ((*account)->label, "alice");
  EXPECT_EQ((*account)->current_key, alice_id);
  EXPECT_EQ((*account)->created_height, height_ - 8);
}

TEST_P(RecordsTest, ASponsorCreatesAtMostItsDailyQuotaOfAccounts) {
  const auto platform = MakeKey(suite(), 10);
  const AccountId platform_id = CreatePerson(platform, "platform");
  Grant(platform_id, kPlatformKind);
  // Every creation in one block: the quota counts within a block too.
  std::vector<codec::SignedTransaction> creations;
  for (std::uint32_t i = 0; i <= kMaxSponsoredAccountsPerDay; ++i) {
    const crypto::Digest seed =
        crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("holder " + std::to_string(i)));
    const auto holder =
        crypto::PrivateKey::FromRaw(crypto::GetSuite(suite()).signature, Bytes(seed.begin(), seed.end()))
            .value();
    creations.push_back(Sign(platform, TransactionKind::kCreateAccount, Creation(holder, kPersonKind, "")));
  }
  const BlockExecution execution = RunBlock(creations);
  for (std::uint32_t i = 0; i < kMaxSponsoredAccountsPerDay; ++i)
    ASSERT_EQ(execution.receipts[i].status, ReceiptStatus::kOk) << i;
  EXPECT_EQ(execution.receipts.back().status, ReceiptStatus::kQuotaExceeded);
  // The regulator's own quota is separate.
  EXPECT_EQ(
      StatusOf(regulator_, TransactionKind::kCreateAccount, Creation(MakeKey(suite(), 13), kPersonKind, "")),
      ReceiptStatus::kOk);
}

TEST_P(RecordsTest, RegulatorsGrantAuthorityKindsAndAuthoritiesGrantTheRest) {
  const auto office = MakeKey(suite(), 10);
  const auto person = MakeKey(suite(), 11);
  const AccountId office_id = CreatePerson(office, "copyright office");
  const AccountId person_id = CreatePerson(person);

  // A person grants nothing; an unknown account cannot be granted anything.
  EXPECT_EQ(StatusOf(person, TransactionKind::kGrantKinds,
                     EncodePayload(ChangeKindsPayload{office_id, kReviewerKind})),
            ReceiptStatus::kMissingRole);
  EXPECT_EQ(
      StatusOf(regulator_, TransactionKind::kGrantKinds,
               EncodePayload(ChangeKindsPayload{MakeKey(suite(), 99).public_key().key_id(), kPlatformKind})),
      ReceiptStatus::kUnknownAccount);
  Grant(office_id, kCopyrightOfficeKind);
  // An authority grants platform and reviewer, but not authority kinds.
  EXPECT_EQ(StatusOf(office, TransactionKind::kGrantKinds,
                     EncodePayload(ChangeKindsPayload{person_id, kPlatformKind})),
            ReceiptStatus::kOk);
  EXPECT_EQ(StatusOf(office, TransactionKind::kGrantKinds,
                     EncodePayload(ChangeKindsPayload{person_id, kCourtKind})),
            ReceiptStatus::kMissingRole);
  EXPECT_EQ(StatusOf(office, TransactionKind::kGrantKinds,
                     EncodePayload(ChangeKindsPayload{office_id, kPlatformKind})),
            ReceiptStatus::kInvalidField);  // not its own
  EXPECT_EQ(StatusOf(office, TransactionKind::kWithdrawKinds,
                     EncodePayload(ChangeKindsPayload{person_id, kPlatformKind})),
            ReceiptStatus::kOk);
  EXPECT_EQ(
      StatusOf(regulator_, TransactionKind::kGrantKinds, EncodePayload(ChangeKindsPayload{person_id, 0x100})),
      ReceiptStatus::kInvalidField);

  const Receipt withdrawn = Submit(regulator_, TransactionKind::kWithdrawKinds,
                                   EncodePayload(ChangeKindsPayload{office_id, kCopyrightOfficeKind}));
  ASSERT_EQ(withdrawn.status, ReceiptStatus::kOk);
  const Result<AccountResult> result = DecodeAccountResult(withdrawn.result);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->account, office_id);
  EXPECT_EQ(result->kinds, kPersonKind);
  EXPECT_EQ(StatusOf(office, TransactionKind::kGrantKinds,
                     EncodePayload(ChangeKindsPayload{person_id, kPlatformKind})),
            ReceiptStatus::kMissingRole);
}

TEST_P(RecordsTest, WorkRegistrationAssignsAnIdAndIsFoundByHashAndOwner) {
  const auto alice = MakeKey(suite(), 10);
  const AccountId alice_id = CreatePerson(alice);
  const WorkDescription work = Work(alice_id, "poem text");
  const std::uint64_t id = Register(alice, work);
  EXPECT_GE(id, 1u);

  const auto record = LoadRecord(state_, id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->type, RecordType::kWork);
  EXPECT_EQ((*record)->registrant, alice_id);
  EXPECT_EQ((*record)->signing_key, alice.public_key().key_id());
  EXPECT_EQ((*record)->height, height_);
  EXPECT_EQ((*record)->time_milliseconds, kBlockTimeMilliseconds + static_cast<std::int64_t>(height_));
  EXPECT_EQ(DecodeWorkDescription((*record)->body).value(), work);

  const auto by_hash = FindByContentHash(state_, work.content_hash, 10);
  ASSERT_TRUE(by_hash.ok());
  ASSERT_EQ(by_hash->size(), 1u);
  EXPECT_EQ(by_hash->front().record_id, id);
  const auto by_owner = FindByOwner(state_, alice_id, 0, 10);
  ASSERT_TRUE(by_owner.ok());
  EXPECT_EQ(*by_owner, std::vector<std::uint64_t>{id});
  EXPECT_EQ(Register(alice, Work(alice_id, "second poem")), id + 1);
}

TEST_P(RecordsTest, ContentRegisteredBeforeByAnotherAccountIsAcceptedButFlagged) {
  const auto alice = MakeKey(suite(), 10);
  const auto mallory = MakeKey(suite(), 11);
  const AccountId alice_id = CreatePerson(alice);
  const AccountId mallory_id = CreatePerson(mallory);
  const std::uint64_t first = Register(alice, Work(alice_id, "poem"));
  const std::int64_t first_time = LoadRecord(state_, first).value()->time_milliseconds;

  // Alice registering her own content again is no conflict.
  EXPECT_TRUE(ResultOf(Submit(alice, TransactionKind::kRegisterWork, EncodePayload(Work(alice_id, "poem"))))
                  .conflicts.empty());
  const RecordResult copy =
      ResultOf(Submit(mallory, TransactionKind::kRegisterWork, EncodePayload(Work(mallory_id, "poem"))));
  ASSERT_EQ(copy.conflicts.size(), 1u);
  EXPECT_EQ(copy.conflicts[0].prior_record_id, first);
  EXPECT_EQ(copy.conflicts[0].prior_item, 0u);
  EXPECT_EQ(copy.conflicts[0].prior_time_milliseconds, first_time);
  EXPECT_EQ(FindByContentHash(state_, Work(alice_id, "poem").content_hash, 10)->size(), 3u);
  const auto prior = FindPriorByOther(state_, Work(alice_id, "poem").content_hash, mallory_id);
  ASSERT_TRUE(prior.ok() && prior->has_value());
  EXPECT_EQ((*prior)->record_id, first);
}

TEST_P(RecordsTest, EveryWorkRejectionHasItsStatus) {
  const auto alice = MakeKey(suite(), 10);
  const auto bob = MakeKey(suite(), 11);
  const AccountId alice_id = CreatePerson(alice);
  const AccountId bob_id = CreatePerson(bob);
  const auto stranger = MakeKey(suite(), 12);

  const auto with = [&](auto change) {
    WorkDescription work = Work(alice_id, "x");
    change(work);
    return StatusOf(alice, TransactionKind::kRegisterWork, EncodePayload(work));
  };
  EXPECT_EQ(StatusOf(stranger, TransactionKind::kRegisterWork, EncodePayload(Work(alice_id, "x"))),
            ReceiptStatus::kUnknownAccount);
  EXPECT_EQ(StatusOf(alice, TransactionKind::kRegisterWork, ToBytes("not a work")),
            ReceiptStatus::kMalformedPayload);
  EXPECT_EQ(with([](WorkDescription& w) { w.title.clear(); }), ReceiptStatus::kInvalidField);
  EXPECT_EQ(with([](WorkDescription& w) { w.title = std::string(kMaxTitleSize + 1, 't'); }),
            ReceiptStatus::kFieldTooLarge);
  EXPECT_EQ(with([](WorkDescription& w) { w.where = std::string(kMaxUrlSize + 1, 'u'); }),
            ReceiptStatus::kFieldTooLarge);
  EXPECT_EQ(with([](WorkDescription& w) { w.authors.assign(kMaxAuthors + 1, "a"); }),
            ReceiptStatus::kFieldTooLarge);
  EXPECT_EQ(with([](WorkDescription& w) {
              w.fingerprint = Fingerprint{1, Bytes(kMaxFingerprintSize + 1, 1)};
            }),
            ReceiptStatus::kFieldTooLarge);
  EXPECT_EQ(
      with([](WorkDescription& w) { w.claimed_creation_time_milliseconds = kBlockTimeMilliseconds * 2; }),
      ReceiptStatus::kInvalidField);
  EXPECT_EQ(with([](WorkDescription& w) { w.owners.clear(); }), ReceiptStatus::kBadShares);
  EXPECT_EQ(with([](WorkDescription& w) { w.owners[0].share_basis_points = 9'999; }),
            ReceiptStatus::kBadShares);
  EXPECT_EQ(with([&](WorkDescription& w) {
              w.owners = {{alice_id, 5'000}, {alice_id, 5'000}};
            }),
            ReceiptStatus::kBadShares);
  EXPECT_EQ(with([&](WorkDescription& w) {
              w.owners = {{alice_id, 10'000}, {bob_id, 0}};
            }),
            ReceiptStatus::kBadShares);
  EXPECT_EQ(with([&](WorkDescription& w) {
              w.owners = {{alice_id, 5'000}, {stranger.public_key().key_id(), 5'000}};
            }),
            ReceiptStatus::kUnknownAccount);
  // A person registers only what they own a share of.
  EXPECT_EQ(with([&](WorkDescription& w) { w.owners = {{bob_id, 10'000}}; }), ReceiptStatus::kMissingRole);
  EXPECT_EQ(with([&](WorkDescription& w) {
              w.owners = {{alice_id, 2'500}, {bob_id, 7'500}};
            }),
            ReceiptStatus::kOk);
}

TEST_P(RecordsTest, IndexedBatchIndexesEveryItemAndFlagsConflictsByItem) {
  const auto platform = MakeKey(suite(), 10);
  const auto alice = MakeKey(suite(), 11);
  const AccountId platform_id = CreatePerson(platform, "video site");
  const AccountId alice_id = CreatePerson(alice);
  const std::uint64_t alice_work = Register(alice, Work(alice_id, "item 700"));

  IndexedBatchPayload batch;
  batch.records_root = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("root"));
  for (int i = 0; i < 1000; ++i) {
    batch.content_hashes.push_back(Work(alice_id, "item " + std::to_string(i)).content_hash);
  }
  EXPECT_EQ(StatusOf(platform, TransactionKind::kIndexedBatch, EncodePayload(batch)),
            ReceiptStatus::kMissingRole);
  Grant(platform_id, kPlatformKind);
  const RecordResult result =
      ResultOf(Submit(platform, TransactionKind::kIndexedBatch, EncodePayload(batch)));
  ASSERT_EQ(result.conflicts.size(), 1u);
  EXPECT_EQ(result.conflicts[0].item, 700u);
  EXPECT_EQ(result.conflicts[0].prior_record_id, alice_work);

  const auto found = FindByContentHash(state_, batch.content_hashes[500], 10);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().record_id, result.record_id);
  EXPECT_EQ(found->front().item, 500u);
  EXPECT_EQ(FindByOwner(state_, platform_id, 0, 10).value(), std::vector<std::uint64_t>{result.record_id});

  IndexedBatchPayload empty = batch;
  empty.content_hashes.clear();
  EXPECT_EQ(StatusOf(platform, TransactionKind::kIndexedBatch, EncodePayload(empty)),
            ReceiptStatus::kInvalidField);
  IndexedBatchPayload too_many = batch;
  too_many.content_hashes.resize(kMaxIndexedBatchItems + 1);
  EXPECT_EQ(StatusOf(platform, TransactionKind::kIndexedBatch, EncodePayload(too_many)),
            ReceiptStatus::kFieldTooLarge);
}

TEST_P(RecordsTest, AnchorOnlyBatchRecordsTheRootAndCount) {
  const auto platform = MakeKey(suite(), 10);
  const AccountId platform_id = CreatePerson(platform, "platform");
  Grant(platform_id, kPlatformKind);
  AnchorBatchPayload batch{crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("root")), 1'000'000, "day 1"};
  const RecordResult result = ResultOf(Submit(platform, TransactionKind::kAnchorBatch, EncodePayload(batch)));
  const auto record = LoadRecord(state_, result.record_id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->type, RecordType::kAnchorBatch);
  EXPECT_EQ(DecodeAnchorBatchPayload((*record)->body).value(), batch);

  batch.item_count = kMaxAnchorBatchItems + 1;
  EXPECT_EQ(StatusOf(platform, TransactionKind::kAnchorBatch, EncodePayload(batch)),
            ReceiptStatus::kFieldTooLarge);
  batch.item_count = 0;
  EXPECT_EQ(StatusOf(platform, TransactionKind::kAnchorBatch, EncodePayload(batch)),
            ReceiptStatus::kInvalidField);
}

TEST_P(RecordsTest, AuthoritiesEndorseRegistrationsAndAnyoneFixesEvidence) {
  const auto alice = MakeKey(suite(), 10);
  const auto office = MakeKey(suite(), 11);
  const AccountId alice_id = CreatePerson(alice);
  const AccountId office_id = CreatePerson(office, "copyright office");
  const std::uint64_t work = Register(alice, Work(alice_id, "poem"));
  const EndorsePayload endorsement{work, std::nullopt, EndorsementKind::kRegistrationNumber, "2026-A-000123"};

  EXPECT_EQ(StatusOf(office, TransactionKind::kEndorse, EncodePayload(endorsement)),
            ReceiptStatus::kMissingRole);
  Grant(office_id, kCopyrightOfficeKind);
  const std::uint64_t endorsed =
      ResultOf(Submit(office, TransactionKind::kEndorse, EncodePayload(endorsement))).record_id;
  EXPECT_EQ(StatusOf(office, TransactionKind::kEndorse,
                     EncodePayload(EndorsePayload{work + 1000, std::nullopt,
                                                  EndorsementKind::kRegistrationNumber, "n"})),
            ReceiptStatus::kUnknownRecord);
  EXPECT_EQ(StatusOf(office, TransactionKind::kEndorse,
                     EncodePayload(EndorsePayload{work, 3, EndorsementKind::kCopyrightAuthentication, ""})),
            ReceiptStatus::kUnknownRecord);  // a single work has no items
  EXPECT_EQ(
      StatusOf(office, TransactionKind::kEndorse,
               EncodePayload(EndorsePayload{work, std::nullopt, EndorsementKind::kRegistrationNumber, ""})),
      ReceiptStatus::kInvalidField);
  EXPECT_EQ(StatusOf(office, TransactionKind::kEndorse,
                     EncodePayload(EndorsePayload{endorsed, std::nullopt,
                                                  EndorsementKind::kCopyrightAuthentication, ""})),
            ReceiptStatus::kUnknownRecord);  // endorsements endorse registrations only

  EvidencePayload evidence;
  evidence.manifest_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("manifest"));
  evidence.target_url = "https://copies.example/poem";
  evidence.capture_time_milliseconds = 1'780'000'000'000;
  evidence.related_record_id = work;
  const std::uint64_t fixed =
      ResultOf(Submit(alice, TransactionKind::kEvidence, EncodePayload(evidence))).record_id;
  EXPECT_EQ(FindLinks(state_, work, 10).value(), (std::vector<std::uint64_t>{endorsed, fixed}));

  EvidencePayload bad = evidence;
  bad.related_record_id = work + 1000;
  EXPECT_EQ(StatusOf(alice, TransactionKind::kEvidence, EncodePayload(bad)), ReceiptStatus::kUnknownRecord);
  bad = evidence;
  bad.target_url.clear();
  EXPECT_EQ(StatusOf(alice, TransactionKind::kEvidence, EncodePayload(bad)), ReceiptStatus::kInvalidField);
  bad = evidence;
  bad.related_record_id.reset();
  bad.related_item = 1;
  EXPECT_EQ(StatusOf(alice, TransactionKind::kEvidence, EncodePayload(bad)), ReceiptStatus::kInvalidField);
  bad = evidence;
  bad.note = std::string(kMaxEvidenceNoteSize + 1, 'n');
  EXPECT_EQ(StatusOf(alice, TransactionKind::kEvidence, EncodePayload(bad)), ReceiptStatus::kFieldTooLarge);
}

TEST_P(RecordsTest, ADigestIsTimeStampedOnceAndLaterRequestsFindTheFirstRecord) {
  const auto tsa = MakeKey(suite(), 12);
  const auto stranger = MakeKey(suite(), 13);
  const AccountId tsa_id = CreatePerson(tsa, "time-stamping authority");
  const crypto::Digest file_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("a file"));
  const TimeStampPayload stamp{TimeStampHash::kSha256, Bytes(file_hash.begin(), file_hash.end())};
  EXPECT_EQ(StatusOf(stranger, TransactionKind::kTimeStamp, EncodePayload(stamp)),
            ReceiptStatus::kUnknownAccount);

  const Receipt first = Submit(tsa, TransactionKind::kTimeStamp, EncodePayload(stamp));
  const std::uint64_t record_id = ResultOf(first).record_id;
  const std::optional<Record> record = LoadRecord(state_, record_id).value();
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->type, RecordType::kTimeStamp);
  EXPECT_EQ(record->registrant, tsa_id);
  EXPECT_EQ(record->height, height_);
  EXPECT_EQ(DecodeTimeStampPayload(record->body).value(), stamp);
  EXPECT_EQ(FindTimeStamp(state_, 1, stamp.digest).value(), record_id);
  // The same digest under another algorithm is another time-stamp.
  EXPECT_FALSE(FindTimeStamp(state_, 4, stamp.digest).value().has_value());

  const Receipt again = Submit(tsa, TransactionKind::kTimeStamp, EncodePayload(stamp));
  EXPECT_EQ(again.status, ReceiptStatus::kAlreadyTimeStamped);
  EXPECT_EQ(DecodeRecordResult(again.result).value().record_id, record_id);
  EXPECT_FALSE(LoadRecord(state_, record_id + 1).value().has_value());

  TimeStampPayload wrong_size{TimeStampHash::kSha512, stamp.digest};
  EXPECT_EQ(StatusOf(tsa, TransactionKind::kTimeStamp, EncodePayload(wrong_size)),
            ReceiptStatus::kInvalidField);
  Bytes malformed = EncodePayload(stamp);
  malformed.push_back(0);
  EXPECT_EQ(StatusOf(tsa, TransactionKind::kTimeStamp, malformed), ReceiptStatus::kMalformedPayload);
}

TEST_P(RecordsTest, RotatedKeyStopsSigningButItsRecordsStayAndShowIt) {
  const auto old_key = MakeKey(suite(), 10);
  const auto new_key = MakeKey(suite(), 11);
  const AccountId alice_id = CreatePerson(old_key);
  const std::uint64_t before = Register(old_key, Work(alice_id, "before"));

  const auto proof_by = [&](const crypto::PrivateKey& signer, const crypto::PrivateKey& key) {
    const ByteView raw = key.public_key().raw();
    const crypto::Signature proof = signer.Sign(KeyProofMessage(kChain, alice_id, raw)).value();
    return NewKey{Bytes(raw.begin(), raw.end()), Bytes(proof.begin(), proof.end())};
  };
  EXPECT_EQ(StatusOf(old_key, TransactionKind::kRotateKey,
                     EncodePayload(RotateKeyPayload{proof_by(old_key, new_key)})),
            ReceiptStatus::kBadKeyProof);
  EXPECT_EQ(StatusOf(old_key, TransactionKind::kRotateKey,
                     EncodePayload(RotateKeyPayload{proof_by(regulator_, regulator_)})),
            ReceiptStatus::kAccountExists);
  EXPECT_EQ(StatusOf(old_key, TransactionKind::kRotateKey,
                     EncodePayload(RotateKeyPayload{proof_by(new_key, new_key)})),
            ReceiptStatus::kOk);

  EXPECT_EQ(StatusOf(old_key, TransactionKind::kRegisterWork, EncodePayload(Work(alice_id, "after"))),
            ReceiptStatus::kKeyNotCurrent);
  const std::uint64_t after = Register(new_key, Work(alice_id, "after"));
  EXPECT_EQ(LoadRecord(state_, before).value()->signing_key, old_key.public_key().key_id());
  EXPECT_EQ(LoadRecord(state_, after).value()->signing_key, new_key.public_key().key_id());
  EXPECT_EQ(LoadRecord(state_, after).value()->registrant, alice_id);

  const auto account = LoadAccount(state_, alice_id).value();
  const auto history = LoadKeyHistory(state_, *account);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].status, KeyStatus::kRotated);
  EXPECT_GT((*history)[0].until_height, 0u);
  EXPECT_EQ((*history)[1].status, KeyStatus::kCurrent);
}

TEST_P(RecordsTest, AnAttestingAuthorityRevokesAndRecoversAKey) {
  const auto notary = MakeKey(suite(), 10);
  const auto other_notary = MakeKey(suite(), 11);
  const auto lost = MakeKey(suite(), 12);
  const auto replacement = MakeKey(suite(), 13);
  const AccountId notary_id = CreatePerson(notary, "notary");
  const AccountId other_id = CreatePerson(other_notary, "other notary");
  const AccountId alice_id = CreatePerson(lost);
  const std::uint64_t signed_before = Register(lost, Work(alice_id, "before"));
  Grant(notary_id, kNotaryKind);
  Grant(other_id, kNotaryKind);

  // Only an authority attests, and the commitment is all the chain sees of the value.
  const AttestIdentityPayload attestation{
      alice_id, IdentityAttribute::kIdNumber,
      crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("hmac output"))};
  EXPECT_EQ(StatusOf(lost, TransactionKind::kAttestIdentity, EncodePayload(attestation)),
            ReceiptStatus::kMissingRole);
  EXPECT_EQ(StatusOf(notary, TransactionKind::kAttestIdentity,
                     EncodePayload(AttestIdentityPayload{
                         MakeKey(suite(), 99).public_key().key_id(), IdentityAttribute::kName, {}})),
            ReceiptStatus::kUnknownAccount);
  const std::uint64_t attested =
      ResultOf(Submit(notary, TransactionKind::kAttestIdentity, EncodePayload(attestation))).record_id;
  EXPECT_EQ(LoadRecord(state_, attested).value()->type, RecordType::kAttestation);

  EXPECT_EQ(StatusOf(other_notary, TransactionKind::kRevokeKey, EncodePayload(RevokeKeyPayload{alice_id})),
            ReceiptStatus::kNoAttestation);
  EXPECT_EQ(StatusOf(lost, TransactionKind::kRevokeKey, EncodePayload(RevokeKeyPayload{alice_id})),
            ReceiptStatus::kMissingRole);
  EXPECT_EQ(StatusOf(notary, TransactionKind::kRevokeKey, EncodePayload(RevokeKeyPayload{alice_id})),
            ReceiptStatus::kOk);
  EXPECT_EQ(StatusOf(notary, TransactionKind::kRevokeKey, EncodePayload(RevokeKeyPayload{alice_id})),
            ReceiptStatus::kInvalidField);  // nothing left to revoke
  EXPECT_EQ(StatusOf(lost, TransactionKind::kRegisterWork, EncodePayload(Work(alice_id, "stolen"))),
            ReceiptStatus::kKeyNotCurrent);

  const ByteView raw = replacement.public_key().raw();
  const crypto::Signature proof = replacement.Sign(KeyProofMessage(kChain, alice_id, raw)).value();
  const RecoverKeyPayload recovery{alice_id,
                                   {Bytes(raw.begin(), raw.end()), Bytes(proof.begin(), proof.end())}};
  EXPECT_EQ(StatusOf(other_notary, TransactionKind::kRecoverKey, EncodePayload(recovery)),
            ReceiptStatus::kNoAttestation);
  EXPECT_EQ(StatusOf(notary, TransactionKind::kRecoverKey, EncodePayload(recovery)), ReceiptStatus::kOk);
  const std::uint64_t signed_after = Register(replacement, Work(alice_id, "after"));

  // Records signed before the revocation stay valid and show the key that signed them.
  EXPECT_EQ(LoadRecord(state_, signed_before).value()->signing_key, lost.public_key().key_id());
  EXPECT_EQ(LoadRecord(state_, signed_after).value()->registrant, alice_id);
  const auto history = LoadKeyHistory(state_, *LoadAccount(state_, alice_id).value());
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].status, KeyStatus::kRevoked);
  EXPECT_EQ((*history)[1].status, KeyStatus::kCurrent);
}

INSTANTIATE_TEST_SUITE_P(Suites, RecordsTest, ::testing::Values(crypto::SuiteId::kStd, crypto::SuiteId::kSm),
                         [](const auto& suite_info) {
                           return std::string(crypto::SuiteName(suite_info.param));
                         });

// Payload encodings: every type round-trips and rejects truncation and trailing bytes.
template <typename Payload, typename Decode>
void ExpectStrictRoundTrip(const Payload& payload, Decode decode) {
  const Bytes encoding = EncodePayload(payload);
  const auto decoded = decode(encoding);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, payload);
  for (std::size_t size = 0; size < encoding.size(); ++size) {
    EXPECT_FALSE(decode(ByteView(encoding.data(), size)).ok()) << "truncated to " << size;
  }
  Bytes longer = encoding;
  longer.push_back(0);
  EXPECT_FALSE(decode(longer).ok());
}

TEST(RecordPayloadsTest, EveryPayloadRoundTripsStrictly) {
  const AccountId account = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("account"));
  const crypto::Digest digest = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes("digest"));
  ExpectStrictRoundTrip(CreateAccountPayload{kPersonKind | kOrganisationKind, "label"},
                        DecodeCreateAccountPayload);
  ExpectStrictRoundTrip(ChangeKindsPayload{account, kPlatformKind}, DecodeChangeKindsPayload);
  ExpectStrictRoundTrip(AttestIdentityPayload{account, IdentityAttribute::kOrganisationCode, digest},
                        DecodeAttestIdentityPayload);
  ExpectStrictRoundTrip(RotateKeyPayload{{Bytes(32, 1), Bytes(64, 2)}}, DecodeRotateKeyPayload);
  ExpectStrictRoundTrip(RevokeKeyPayload{account}, DecodeRevokeKeyPayload);
  ExpectStrictRoundTrip(RecoverKeyPayload{account, {Bytes(65, 4), Bytes(64, 5)}}, DecodeRecoverKeyPayload);
  WorkDescription work;
  work.title = "标题";
  work.kind = WorkKind::kVideo;
  work.content_hash = digest;
  work.fingerprint = Fingerprint{7, Bytes(32, 9)};
  work.authors = {"a", "b"};
  work.owners = {{account, 4'000}, {digest, 6'000}};
  work.claimed_creation_time_milliseconds = 5;
  work.where = "https://example.org";
  work.storage_pointer = "ipfs://x";
  ExpectStrictRoundTrip(work, DecodeWorkDescription);
  ExpectStrictRoundTrip(IndexedBatchPayload{digest, {digest, account}, "batch"}, DecodeIndexedBatchPayload);
  ExpectStrictRoundTrip(AnchorBatchPayload{digest, 12, "anchor"}, DecodeAnchorBatchPayload);
  ExpectStrictRoundTrip(EndorsePayload{3, 4, EndorsementKind::kRegistrationNumber, "no. 5"},
                        DecodeEndorsePayload);
  ExpectStrictRoundTrip(EvidencePayload{digest, "https://x", 9, 3, 2, "note"}, DecodeEvidencePayload);
  ExpectStrictRoundTrip(TimeStampPayload{TimeStampHash::kSha384, Bytes(48, 7)}, DecodeTimeStampPayload);
}

TEST(RecordPayloadsTest, AccountKindsHaveStableNames) {
  EXPECT_EQ(AccountKindsToString(kPersonKind | kCopyrightOfficeKind), "person,copyright-office");
  EXPECT_EQ(ParseAccountKinds("court,notary").value(), kCourtKind | kNotaryKind);
  EXPECT_FALSE(ParseAccountKinds("authority").ok());
  EXPECT_FALSE(ParseAccountKinds("").ok());
}

}  // namespace
}  // namespace rightchain::exec
