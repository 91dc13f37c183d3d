// Copyright records end to end, as a user does it: a 4-validator network of real rightchaind
// processes, and every record command of `rightchain` against it, on both suites.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "cli/chain_session.h"
#include "cli/cli_test_util.h"
#include "client/http_client.h"
#include "crypto/hash.h"
#include "exec/record_payloads.h"
#include "merkle/proof.h"
#include "merkle/tree_hash.h"
#include "proofs/bundle.h"
#include "proofs/signed_note.h"
#include "proofs/trust.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing::RunResult;

class RecordsIntegrationTest : public testing::ScratchDirectoryTest,
                               public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    ScratchDirectoryTest::SetUp();
    network_ = scratch_ / "net";
    // Below the kernel's ephemeral range (32768+), spread by process id, clear of the smoke test's.
    const int base_port = 12000 + static_cast<int>(getpid() % 900) * 16;
    node_url_ = "http://127.0.0.1:" + std::to_string(base_port + 8);
    other_node_url_ = "http://127.0.0.1:" + std::to_string(base_port + 9);
    RunResult result = Cli("net init --dir " + network_.string() + " --suite " + GetParam() +
                           " --validators 4 --observers 0 --block-interval-ms 200 --base-port " +
                           std::to_string(base_port) + " --api-base-port " + std::to_string(base_port + 8));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    result = Cli("net up --dir " + network_.string() + " --timeout-seconds 120 --rightchaind " +
                 RIGHTCHAIN_DAEMON_BINARY);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }

  void TearDown() override {
    Cli("net down --dir " + network_.string());
    ScratchDirectoryTest::TearDown();
  }

  RunResult Cli(const std::string& arguments) {
    return testing::RunCommand(RIGHTCHAIN_CLI_BINARY, arguments, scratch_);
  }

  // Runs a command that must succeed and print one JSON object.
  Json CliJson(const std::string& arguments) {
    const RunResult result = Cli(arguments);
    EXPECT_EQ(result.exit_code, 0) << arguments << "\n" << result.out << result.err;
    const Json json = Json::parse(result.out, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << arguments << "\n" << result.out;
    return json.is_discarded() ? Json::object() : json;
  }

  fs::path NewKey(const std::string& name) {
    const fs::path key = scratch_ / (name + ".key");
    const RunResult result = Cli("keygen --suite " + GetParam() + " --out " + key.string());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return key;
  }

  std::string CreateAccount(const fs::path& key, const std::string& label) {
    const Json created = CliJson("account create --json --node " + node_url_ + " --key " + key.string() +
                                 " --label " + label + " --sponsor-key " + Sponsor());
    return created.value("account", "");
  }

  fs::path WriteWork(const std::string& name, const std::string& content) {
    const fs::path path = scratch_ / name;
    EXPECT_TRUE(WriteFile(path, content, 0644).ok());
    return path;
  }

  crypto::HashAlgorithm Hash() const {
    return GetParam() == "sm" ? crypto::HashAlgorithm::kSm3 : crypto::HashAlgorithm::kSha256;
  }

  std::string Regulator() const { return (network_ / "accounts" / "regulator.key").string(); }
  std::string Sponsor() const { return (network_ / "accounts" / "sponsor.key").string(); }

  fs::path network_;
  std::string node_url_;
  std::string other_node_url_;
};

TEST_P(RecordsIntegrationTest, RegisterEndorseFixEvidenceAndLookUpThroughTheNodes) {
  const fs::path alice = NewKey("alice");
  const fs::path platform = NewKey("platform");
  const fs::path office = NewKey("office");
  const std::string alice_id = CreateAccount(alice, "alice");
  const std::string platform_id = CreateAccount(platform, "site");
  const std::string office_id = CreateAccount(office, "office");
  ASSERT_EQ(alice_id.size(), 64u);
  CliJson("account grant " + platform_id + " --kinds platform --json --node " + node_url_ + " --key " +
          Regulator());
  CliJson("account grant " + office_id + " --kinds copyright-office --json --node " + node_url_ + " --key " +
          Regulator());

  // Alice registers her poem through one node; the record is visible through another.
  const fs::path poem = WriteWork("poem.txt", "床前明月光，疑是地上霜。\n");
  const Json registered = CliJson("register " + poem.string() + " --title Poem --author 李白 --json --node " +
                                  node_url_ + " --key " + alice.string());
  const std::uint64_t poem_id = registered.value("record_id", 0);
  ASSERT_GE(poem_id, 1u);
  EXPECT_TRUE(registered["conflicts"].empty());
  const Json shown = CliJson("show " + std::to_string(poem_id) + " --node " + other_node_url_);
  EXPECT_EQ(shown["type"], "work");
  EXPECT_EQ(shown["work"]["title"], "Poem");
  EXPECT_EQ(shown["work"]["kind"], "text");
  EXPECT_EQ(shown["work"]["owners"][0]["account"], alice_id);
  EXPECT_EQ(shown["work"]["content_hash"],
            HexEncode(crypto::Hash(Hash(), ToBytes(std::string("床前明月光，疑是地上霜。\n")))));
  EXPECT_EQ(shown["registrant"], alice_id);

  // The platform registers the same content for her: accepted, and flagged with the prior one.
  const Json again = CliJson("register " + poem.string() + " --owner " + alice_id + ":10000 --json --node " +
                             node_url_ + " --key " + platform.string());
  ASSERT_EQ(again["conflicts"].size(), 1u);
  EXPECT_EQ(again["conflicts"][0]["prior_record_id"], poem_id);

  // A platform batch: every item indexed, the copy of the poem flagged, a proof per item.
  const fs::path batch = scratch_ / "batch";
  fs::create_directories(batch);
  ASSERT_TRUE(WriteFile(batch / "a.txt", "first item\n", 0644).ok());
  ASSERT_TRUE(WriteFile(batch / "b.txt", "床前明月光，疑是地上霜。\n", 0644).ok());
  ASSERT_TRUE(WriteFile(batch / "c.jpg", "not really a photo\n", 0644).ok());
  const Json indexed = CliJson("register-batch " + batch.string() + " --label day-1 --json --node " +
                               node_url_ + " --key " + platform.string());
  const std::uint64_t batch_id = indexed.value("record_id", 0);
  ASSERT_EQ(indexed["conflicts"].size(), 1u);
  EXPECT_EQ(indexed["conflicts"][0]["item"], 1);
  EXPECT_EQ(indexed["conflicts"][0]["prior_record_id"], poem_id);
  const Json item = CliJson("show " + std::to_string(batch_id) + ":1 --node " + node_url_);
  EXPECT_EQ(item["indexed"], true);
  EXPECT_EQ(item["item"]["prior_registration"]["record_id"], poem_id);

  // Each item's proof verifies against the root the chain holds.
  const Json proof = Json::parse(testing::ReadText(scratch_ / "batch.proofs" / "c.jpg.proof.json"));
  EXPECT_EQ(proof["records_root"], item["records_root"]);
  const Bytes record = HexDecode(proof["record"].get<std::string>()).value();
  EXPECT_EQ(exec::DecodeWorkDescription(record).value().kind, exec::WorkKind::kImage);
  std::vector<crypto::Digest> path;
  for (const auto& hex : proof["inclusion_proof"]) {
    const Bytes bytes = HexDecode(hex.get<std::string>()).value();
    crypto::Digest digest;
    std::copy(bytes.begin(), bytes.end(), digest.begin());
    path.push_back(digest);
  }
  const Bytes root_bytes = HexDecode(item["records_root"].get<std::string>()).value();
  crypto::Digest root;
  std::copy(root_bytes.begin(), root_bytes.end(), root.begin());
  EXPECT_TRUE(merkle::VerifyInclusion(Hash(), 2, 3, merkle::LeafHash(Hash(), record), path, root).ok());

  const Json anchored = CliJson("register-batch " + batch.string() + " --anchor-only --proofs " +
                                (scratch_ / "anchor.proofs").string() + " --json --node " + node_url_ +
                                " --key " + platform.string());
  EXPECT_EQ(
      CliJson("show " + std::to_string(anchored.value("record_id", 0)) + " --node " + node_url_)["indexed"],
      false);

  // An office endorses; Alice may not; evidence links to the work too.
  const Json endorsed = CliJson("endorse " + std::to_string(poem_id) +
                                " --kind registration-number --text 2026-A-1 --json --node " + node_url_ +
                                " --key " + office.string());
  RunResult refused =
      Cli("endorse " + std::to_string(poem_id) + " --node " + node_url_ + " --key " + alice.string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("missing_role"), std::string::npos) << refused.err;
  const fs::path manifest = WriteWork("capture.json", "{\"warc\": \"…\"}\n");
  const Json evidence =
      CliJson("evidence --manifest " + manifest.string() + " --url https://copies.example/poem --record " +
              std::to_string(poem_id) + " --json --node " + node_url_ + " --key " + alice.string());
  const Json linked = CliJson("show " + std::to_string(poem_id) + " --node " + node_url_);
  EXPECT_EQ(linked["linked_records"],
            Json::array({endorsed.value("record_id", 0), evidence.value("record_id", 0)}));

  // Someone without an account gets a clear error and nothing is written.
  const fs::path stranger = NewKey("stranger");
  refused = Cli("register " + poem.string() + " --node " + node_url_ + " --key " + stranger.string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("belongs to no account"), std::string::npos) << refused.err;
}

TEST_P(RecordsIntegrationTest, KeysRotateAndAnAttestingAuthorityRevokesAndRecovers) {
  const fs::path alice = NewKey("alice");
  const fs::path notary = NewKey("notary");
  const std::string alice_id = CreateAccount(alice, "alice");
  const std::string notary_id = CreateAccount(notary, "notary");
  CliJson("account grant " + notary_id + " --kinds notary --json --node " + node_url_ + " --key " +
          Regulator());

  const fs::path rotated = NewKey("alice-2");
  CliJson("account rotate --new-key " + rotated.string() + " --json --node " + node_url_ + " --key " +
          alice.string());
  RunResult old_key = Cli("register " + WriteWork("w.txt", "w").string() + " --node " + node_url_ +
                          " --key " + alice.string());
  EXPECT_EQ(old_key.exit_code, 1);
  EXPECT_NE(old_key.err.find("rotated"), std::string::npos) << old_key.err;
  const Json work = CliJson("register " + WriteWork("w2.txt", "w2").string() + " --json --node " + node_url_ +
                            " --key " + rotated.string());
  EXPECT_EQ(
      CliJson("show " + std::to_string(work.value("record_id", 0)) + " --node " + node_url_)["registrant"],
      alice_id);

  // The notary attests Alice's ID number (only its HMAC goes on chain), then revokes and recovers.
  ASSERT_TRUE(WriteFile(scratch_ / "secret", "the notary's HMAC secret, 32+ bytes long\n", 0600).ok());
  RunResult attested = Cli(
      "account attest " + alice_id + " --attribute id-number --value 110101199001011234 " + "--secret-file " +
      (scratch_ / "secret").string() + " --node " + node_url_ + " --key " + notary.string());
  ASSERT_EQ(attested.exit_code, 0) << attested.err;
  EXPECT_EQ(attested.out.find("110101199001011234"), std::string::npos);
  const std::string attestation =
      attested.out.substr(19, attested.out.find(' ', 19) - 19);  // "attestation record N"
  const std::string secret = " --secret-file " + (scratch_ / "secret").string() + " --node " + node_url_;
  RunResult checked = Cli("account verify-attribute " + attestation + " --value 110101199001011234" + secret);
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  EXPECT_NE(checked.out.find("matches"), std::string::npos) << checked.out;
  checked = Cli("account verify-attribute " + attestation + " --value 110101199001011235" + secret);
  EXPECT_EQ(checked.exit_code, 1) << checked.out << checked.err;
  EXPECT_NE(checked.err.find("does not match"), std::string::npos) << checked.err;
  CliJson("account revoke " + alice_id + " --json --node " + node_url_ + " --key " + notary.string());
  const fs::path recovered = NewKey("alice-3");
  const RunResult proof =
      Cli("account key-proof " + alice_id + " --node " + node_url_ + " --key " + recovered.string());
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  const std::string new_public_key =
      proof.out.substr(proof.out.find("new public key ") + 15,
                       proof.out.find('\n') - (proof.out.find("new public key ") + 15));
  const std::string signature = proof.out.substr(proof.out.find("proof ") + 6, 128);
  const Json after =
      CliJson("account recover " + alice_id + " --new-public-key " + new_public_key + " --proof " +
              signature + " --json --node " + node_url_ + " --key " + notary.string());
  EXPECT_EQ(after["account"], alice_id);

  const Json account = CliJson("account show " + alice_id + " --node " + node_url_);
  ASSERT_EQ(account["keys"].size(), 3u);
  EXPECT_EQ(account["keys"][0]["status"], "rotated");
  EXPECT_EQ(account["keys"][1]["status"], "revoked");
  EXPECT_EQ(account["keys"][2]["status"], "current");
  CliJson("register " + WriteWork("w3.txt", "w3").string() + " --json --node " + node_url_ + " --key " +
          recovered.string());
}

// Every rejection of the record rules, sent as raw transactions to a real node: each comes back in
// its receipt with its status, or (what committed state already condemns) is refused at
// submission with that status as its code, and the chain keeps going.
TEST_P(RecordsIntegrationTest, EveryRejectionComesBackInItsReceiptOrAtSubmission) {
  Result<ChainSession> session = ConnectChain(node_url_);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  const crypto::SignatureScheme scheme = crypto::GetSuite(session->suite).signature;
  Result<crypto::PrivateKey> regulator = LoadSigningKey(Regulator(), {}, scheme);
  ASSERT_TRUE(regulator.ok()) << regulator.status().ToString();
  Result<crypto::PrivateKey> sponsor = LoadSigningKey(Sponsor(), {}, scheme);
  ASSERT_TRUE(sponsor.ok()) << sponsor.status().ToString();
  const crypto::PrivateKey alice = crypto::PrivateKey::Generate(scheme).value();
  const crypto::PrivateKey bob = crypto::PrivateKey::Generate(scheme).value();
  const crypto::PrivateKey stranger = crypto::PrivateKey::Generate(scheme).value();
  const exec::AccountId alice_id = alice.public_key().key_id();
  const exec::AccountId bob_id = bob.public_key().key_id();

  const auto status_of = [&](const crypto::PrivateKey& key, exec::TransactionKind kind, Bytes payload) {
    Result<CommittedReceipt> receipt = SubmitAndWait(*session, key, kind, std::move(payload), 60);
    EXPECT_TRUE(receipt.ok()) << receipt.status().ToString();
    return receipt.ok() ? receipt->status : std::string("(not committed)");
  };
  // The node refuses the submission with `code` ("... HTTP 400 unknown_account: why").
  const auto expect_refused = [&](const crypto::PrivateKey& key, exec::TransactionKind kind, Bytes payload,
                                  const std::string& code) {
    const codec::SignedTransaction transaction =
        SignTransaction(key, session->chain_id, 1, session->height + 1000, kind, std::move(payload)).value();
    const auto submitted = session->node.SubmitTransaction(codec::EncodeSignedTransaction(transaction));
    ASSERT_FALSE(submitted.ok()) << "admitted; expected " << code;
    EXPECT_NE(submitted.status().message().find(" " + code + ":"), std::string::npos)
        << submitted.status().message();
  };
  const auto creation = [&](const crypto::PrivateKey& holder, const std::string& label) {
    const ByteView raw = holder.public_key().raw();
    const crypto::Signature proof =
        holder.Sign(exec::KeyProofMessage(session->chain_id, holder.public_key().key_id(), raw)).value();
    return exec::EncodePayload(exec::CreateAccountPayload{
        exec::kPersonKind, label, {Bytes(raw.begin(), raw.end()), Bytes(proof.begin(), proof.end())}});
  };
  const auto work_of = [&](const exec::AccountId& owner) {
    exec::WorkDescription work;
    work.title = "t";
    work.kind = exec::WorkKind::kText;
    work.content_hash = crypto::Hash(Hash(), ToBytes(std::string("x")));
    work.owners = {{owner, 10'000}};
    return work;
  };
  using Kind = exec::TransactionKind;
  // Nobody signs their own account into existence: a sponsor does.
  expect_refused(alice, Kind::kCreateAccount, creation(alice, "a"), "unknown_account");
  ASSERT_EQ(status_of(*sponsor, Kind::kCreateAccount, creation(alice, "a")), "ok");
  ASSERT_EQ(status_of(*sponsor, Kind::kCreateAccount, creation(bob, "b")), "ok");

  expect_refused(stranger, Kind::kRegisterWork, exec::EncodePayload(work_of(alice_id)), "unknown_account");
  expect_refused(*sponsor, Kind::kCreateAccount, creation(alice, "a"), "account_exists");
  expect_refused(alice, Kind::kCreateAccount, creation(stranger, "s"), "missing_role");
  EXPECT_EQ(status_of(alice, Kind::kRegisterWork, exec::EncodePayload(work_of(bob_id))), "missing_role");
  exec::WorkDescription bad_shares = work_of(alice_id);
  bad_shares.owners[0].share_basis_points = 5'000;
  EXPECT_EQ(status_of(alice, Kind::kRegisterWork, exec::EncodePayload(bad_shares)), "bad_shares");
  exec::WorkDescription too_large = work_of(alice_id);
  too_large.title = std::string(exec::kMaxTitleSize + 1, 't');
  EXPECT_EQ(status_of(alice, Kind::kRegisterWork, exec::EncodePayload(too_large)), "field_too_large");
  exec::WorkDescription empty_title = work_of(alice_id);
  empty_title.title.clear();
  EXPECT_EQ(status_of(alice, Kind::kRegisterWork, exec::EncodePayload(empty_title)), "invalid_field");
  EXPECT_EQ(status_of(alice, Kind::kRegisterWork, ToBytes(std::string("junk"))), "malformed_payload");
  EXPECT_EQ(
      status_of(alice, Kind::kEvidence,
                exec::EncodePayload(exec::EvidencePayload{{}, "https://x", 1, 999'999, std::nullopt, ""})),
      "unknown_record");
  EXPECT_EQ(status_of(*regulator, Kind::kRevokeKey, exec::EncodePayload(exec::RevokeKeyPayload{alice_id})),
            "no_attestation");
  const ByteView raw = stranger.public_key().raw();
  const crypto::Signature wrong = alice.Sign(exec::KeyProofMessage(session->chain_id, alice_id, raw)).value();
  EXPECT_EQ(status_of(alice, Kind::kRotateKey,
                      exec::EncodePayload(exec::RotateKeyPayload{
                          {Bytes(raw.begin(), raw.end()), Bytes(wrong.begin(), wrong.end())}})),
            "bad_key_proof");
  const crypto::Signature right =
      stranger.Sign(exec::KeyProofMessage(session->chain_id, alice_id, raw)).value();
  EXPECT_EQ(status_of(alice, Kind::kRotateKey,
                      exec::EncodePayload(exec::RotateKeyPayload{
                          {Bytes(raw.begin(), raw.end()), Bytes(right.begin(), right.end())}})),
            "ok");
  expect_refused(alice, Kind::kRegisterWork, exec::EncodePayload(work_of(alice_id)), "key_not_current");
  EXPECT_EQ(status_of(stranger, Kind::kRegisterWork, exec::EncodePayload(work_of(alice_id))), "ok");
}

// A judge's view: the trust file from genesis, a bundle per record, and `rightchain verify` offline,
// naming the check that fails when anything is altered. On the std suite, Go's note.Open and
// tlog.CheckRecord check the same checkpoint and log entry independently.
TEST_P(RecordsIntegrationTest, BundlesVerifyOfflineAgainstTheTrustFile) {
  const fs::path alice = NewKey("alice");
  const fs::path platform = NewKey("platform");
  const std::string alice_id = CreateAccount(alice, "alice");
  const std::string platform_id = CreateAccount(platform, "site");
  CliJson("account grant " + platform_id + " --kinds platform --json --node " + node_url_ + " --key " +
          Regulator());
  const fs::path poem = WriteWork("poem.txt", "白日依山尽，黄河入海流。\n");
  const std::uint64_t poem_id =
      CliJson("register " + poem.string() + " --json --node " + node_url_ + " --key " + alice.string())
          .value("record_id", 0);
  const fs::path batch = scratch_ / "batch";
  fs::create_directories(batch);
  ASSERT_TRUE(WriteFile(batch / "a.txt", "first\n", 0644).ok());
  ASSERT_TRUE(WriteFile(batch / "b.txt", "second\n", 0644).ok());
  const std::uint64_t batch_id = CliJson("register-batch " + batch.string() + " --json --node " + node_url_ +
                                         " --key " + platform.string())
                                     .value("record_id", 0);
  const fs::path trust = scratch_ / "trust.json";
  ASSERT_EQ(
      Cli("trust --genesis " + (network_ / "genesis.json").string() + " --out " + trust.string()).exit_code,
      0);

  // The checkpoint of the record's block is final once the validators' signatures have spread.
  const auto fetch = [&](const std::string& target, const fs::path& out, const std::string& extra = "") {
    for (int attempt = 0; attempt < 50; ++attempt) {
      if (Cli("bundle " + target + extra + " --node " + node_url_ + " --out " + out.string()).exit_code == 0)
        return true;
      usleep(200'000);
    }
    return false;
  };
  const fs::path work_bundle = scratch_ / "work.bundle.json";
  ASSERT_TRUE(fetch(std::to_string(poem_id), work_bundle));
  RunResult verified = Cli("verify --bundle " + work_bundle.string() + " --trust " + trust.string() +
                           " --file " + poem.string());
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("VERIFIED work record " + std::to_string(poem_id)), std::string::npos)
      << verified.out;
  EXPECT_NE(verified.out.find("trust file    sha256"), std::string::npos) << verified.out;

  RunResult refused = Cli("verify --bundle " + work_bundle.string() + " --trust " + trust.string() +
                          " --file " + WriteWork("other.txt", "another poem").string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("NOT VERIFIED: content_hash"), std::string::npos) << refused.out;
  std::string altered = testing::ReadText(work_bundle);
  const std::size_t record_at = altered.find("\"record\": \"") + 12;
  altered[record_at + 10] = altered[record_at + 10] == '0' ? '1' : '0';
  ASSERT_TRUE(WriteFile(scratch_ / "altered.json", altered, 0644).ok());
  refused = Cli("verify --bundle " + (scratch_ / "altered.json").string() + " --trust " + trust.string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("NOT VERIFIED: record"), std::string::npos) << refused.out;

  // A batch item: the node's part of the bundle plus the platform's item proof.
  const fs::path item_bundle = scratch_ / "item.bundle.json";
  ASSERT_TRUE(fetch(std::to_string(batch_id) + ":1", item_bundle,
                    " --batch-proof " + (scratch_ / "batch.proofs" / "b.txt.proof.json").string()));
  verified = Cli("verify --json --bundle " + item_bundle.string() + " --trust " + trust.string() +
                 " --file " + (batch / "b.txt").string());
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const Json report = Json::parse(verified.out, nullptr, false);
  EXPECT_EQ(report.value("type", ""), "indexed-batch item");
  EXPECT_EQ(report.value("verified", false), true);
  refused = Cli("verify --bundle " + item_bundle.string() + " --trust " + trust.string() + " --file " +
                (batch / "a.txt").string());
  EXPECT_NE(refused.out.find("NOT VERIFIED: content_hash"), std::string::npos) << refused.out;

  if (GetParam() != "std") return;
  // Go's own implementations check the same checkpoint and log entry.
  const proofs::Bundle bundle = proofs::ParseBundleJson(testing::ReadText(work_bundle)).value();
  const proofs::TrustAnchor anchor = proofs::ParseTrustFile(testing::ReadText(trust)).value();
  ASSERT_TRUE(WriteFile(scratch_ / "checkpoint", bundle.checkpoint, 0644).ok());
  ASSERT_TRUE(
      WriteFile(scratch_ / "leaf", std::string(bundle.log_leaf.begin(), bundle.log_leaf.end()), 0644).ok());
  std::string proof_lines;
  for (const crypto::Digest& hash : bundle.inclusion_proof) proof_lines += Base64Encode(hash) + "\n";
  ASSERT_TRUE(WriteFile(scratch_ / "proof", proof_lines, 0644).ok());
  std::string arguments = "-note " + (scratch_ / "checkpoint").string() + " -origin " +
                          anchor.genesis.chain_id + " -leaf " + (scratch_ / "leaf").string() + " -index " +
                          std::to_string(bundle.log_index) + " -proof " + (scratch_ / "proof").string();
  for (const proofs::TrustedValidator& validator : anchor.validators) {
    arguments += " -validator " + std::to_string(validator.voting_power) + "," +
                 proofs::NoteVerifierKey(validator.key_name, validator.key);
  }
  const RunResult go = testing::RunCommand(RIGHTCHAIN_CHECKPOINT_VERIFY, arguments, scratch_);
  EXPECT_EQ(go.exit_code, 0) << go.out << go.err;
  EXPECT_NE(go.out.find("is in the tree"), std::string::npos) << go.out;
}

// `rightchain certificate` against the nodes: the bundle, trust file and endorsements come from a
// node; the PDF is checked with poppler-utils and zbar-tools only.
TEST_P(RecordsIntegrationTest, ACertificateIssuedFromTheNodesChecksWithStandardTools) {
  const fs::path alice = NewKey("alice");
  const fs::path office = NewKey("office");
  const std::string alice_id = CreateAccount(alice, "alice");
  const std::string office_id = CreateAccount(office, "office");
  CliJson("account grant " + office_id + " --kinds copyright-office --json --node " + node_url_ + " --key " +
          Regulator());
  const fs::path poem = WriteWork("poem.txt", "春眠不觉晓，处处闻啼鸟。\n");
  const std::uint64_t poem_id =
      CliJson("register " + poem.string() + " --title 春晓 --author 孟浩然 --json --node " + node_url_ +
              " --key " + alice.string())
          .value("record_id", 0);
  ASSERT_GE(poem_id, 1u);
  CliJson("endorse " + std::to_string(poem_id) +
          " --kind registration-number --text 2026-A-7 --json --node " + node_url_ + " --key " +
          office.string());

  // The checkpoint of the record's block is final once the validators' signatures have spread.
  const fs::path pdf = scratch_ / "certificate.pdf";
  RunResult issued;
  for (int attempt = 0; attempt < 50; ++attempt) {
    issued = Cli("certificate " + std::to_string(poem_id) + " --url " + node_url_ + " --out " + pdf.string() +
                 " --html " + (scratch_ / "certificate.html").string());
    if (issued.exit_code == 0) break;
    usleep(200'000);
  }
  ASSERT_EQ(issued.exit_code, 0) << issued.out << issued.err;

  const RunResult text =
      testing::RunCommand("pdftotext -layout -enc UTF-8 " + pdf.string() + " -", "", scratch_);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("春晓"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(alice_id), std::string::npos) << text.out;
  EXPECT_NE(
      text.out.find(HexEncode(crypto::Hash(Hash(), ToBytes(std::string("春眠不觉晓，处处闻啼鸟。\n"))))),
      std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("2026-A-7"), std::string::npos) << text.out;

  const fs::path extracted = scratch_ / "extracted";
  fs::create_directories(extracted);
  const RunResult detached =
      testing::RunCommand("pdfdetach -saveall -o " + extracted.string() + " " + pdf.string(), "", scratch_);
  ASSERT_EQ(detached.exit_code, 0) << detached.err;
  const fs::path attachment = extracted / ("rightchain-bundle-" + std::to_string(poem_id) + ".json");
  const fs::path trust = scratch_ / "trust.json";
  ASSERT_EQ(
      Cli("trust --genesis " + (network_ / "genesis.json").string() + " --out " + trust.string()).exit_code,
      0);
  const RunResult verified = Cli("verify --bundle " + attachment.string() + " --trust " + trust.string() +
                                 " --file " + poem.string());
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("VERIFIED work record " + std::to_string(poem_id)), std::string::npos)
      << verified.out;

  const std::string chain_id = proofs::ParseTrustFile(testing::ReadText(trust)).value().genesis.chain_id;
  ASSERT_EQ(testing::RunCommand("pdftoppm -png -r 150 -f 1 -l 1 -singlefile " + pdf.string() + " " +
                                    (scratch_ / "page").string(),
                                "", scratch_)
                .exit_code,
            0);
  const RunResult qr =
      testing::RunCommand("zbarimg --raw -q " + (scratch_ / "page.png").string(), "", scratch_);
  EXPECT_EQ(qr.out, node_url_ + "/verify?record=" + std::to_string(poem_id) + "&chain=" + chain_id + "\n");
}

// RFC 3161 as any client uses it: openssl makes the query, the node answers once the digest's
// time-stamp record commits, openssl verifies the reply against the consortium CA; the same
// digest asked again (of another node) gets the same time; the record has a bundle that verifies.
TEST_P(RecordsIntegrationTest, TimeStampsFromTheNodesVerifyWithOpenSsl) {
  const fs::path poem = WriteWork("poem.txt", "床前明月光，疑是地上霜。\n");
  const std::string ca = (network_ / "ca.crt").string();
  const fs::path reply = scratch_ / "poem.tsr";
  const RunResult stamped =
      Cli("timestamp " + poem.string() + " --out " + reply.string() + " --ca " + ca + " --node " + node_url_);
  ASSERT_EQ(stamped.exit_code, 0) << stamped.out << stamped.err;
  EXPECT_NE(stamped.out.find("node-0 time-stamping authority"), std::string::npos) << stamped.out;
  const std::string openssl_verify = "openssl ts -verify -data " + poem.string() + " -CAfile " + ca + " -in ";
  RunResult verified = testing::RunCommand(openssl_verify, reply.string(), scratch_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("Verification: OK"), std::string::npos) << verified.out;
  const fs::path other = WriteWork("other.txt", "another file\n");
  EXPECT_NE(testing::RunCommand("openssl ts -verify -data " + other.string() + " -CAfile " + ca + " -in",
                                reply.string(), scratch_)
                .exit_code,
            0);

  // openssl's own query, SM3 or SHA-256 by suite, posted to another node: same record, same time.
  const std::string digest = GetParam() == "sm" ? "sm3" : "sha256";
  const fs::path query = scratch_ / "poem.tsq";
  ASSERT_EQ(testing::RunCommand("openssl ts -query -cert -" + digest + " -data " + poem.string() + " -out",
                                query.string(), scratch_)
                .exit_code,
            0);
  const Result<std::string> query_der = ReadFile(query, 4096);
  ASSERT_TRUE(query_der.ok());
  client::HttpRequestOptions slow;
  slow.timeout_milliseconds = 60'000;
  const Result<client::HttpResponse> answer =
      client::Post(other_node_url_ + "/v1/timestamp", "application/timestamp-query", *query_der, slow);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->content_type, "application/timestamp-reply");
  const fs::path second = scratch_ / "poem2.tsr";
  ASSERT_TRUE(WriteFile(second, answer->body, 0644).ok());
  verified = testing::RunCommand(openssl_verify, second.string(), scratch_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const auto reply_text = [&](const fs::path& file) {
    return testing::RunCommand("openssl ts -reply -text -in", file.string(), scratch_).out;
  };
  const auto line_of = [](const std::string& text, const std::string& label) {
    const std::size_t at = text.find(label);
    return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
  };
  const std::string first_text = reply_text(reply);
  const std::string second_text = reply_text(second);
  EXPECT_NE(line_of(first_text, "Time stamp:"), "");
  if (digest == "sha256") {  // one digest, one record: the first time stands
    EXPECT_EQ(line_of(first_text, "Time stamp:"), line_of(second_text, "Time stamp:"));
  }
  EXPECT_NE(line_of(first_text, "Serial number:"), line_of(second_text, "Serial number:"));

  // A request the authority refuses comes back as an RFC 3161 rejection naming the reason.
  const Result<client::HttpResponse> garbage =
      client::Post(node_url_ + "/v1/timestamp", "application/timestamp-query", "not DER", slow);
  ASSERT_TRUE(garbage.ok());
  EXPECT_EQ(garbage->content_type, "application/timestamp-reply");
  const fs::path refused = scratch_ / "refused.tsr";
  ASSERT_TRUE(WriteFile(refused, garbage->body, 0644).ok());
  EXPECT_NE(reply_text(refused).find("Status: Rejected."), std::string::npos) << reply_text(refused);
  EXPECT_NE(reply_text(refused).find("not a DER TimeStampReq"), std::string::npos) << reply_text(refused);

  // The record behind the token: a time-stamp record with a bundle that verifies offline.
  const std::size_t record_at = stamped.out.find("record        ");
  ASSERT_NE(record_at, std::string::npos) << stamped.out;
  const std::string record_id =
      stamped.out.substr(record_at + 14, stamped.out.find(' ', record_at + 14) - record_at - 14);
  const Json record = CliJson("show " + record_id + " --node " + node_url_);
  EXPECT_EQ(record.value("type", ""), "time-stamp") << record.dump();
  const fs::path trust = scratch_ / "trust.json";
  ASSERT_EQ(
      Cli("trust --genesis " + (network_ / "genesis.json").string() + " --out " + trust.string()).exit_code,
      0);
  const fs::path bundle = scratch_ / "stamp.bundle.json";
  bool fetched = false;
  for (int attempt = 0; attempt < 50 && !fetched; ++attempt) {
    fetched =
        Cli("bundle " + record_id + " --node " + node_url_ + " --out " + bundle.string()).exit_code == 0;
    if (!fetched) usleep(200'000);
  }
  ASSERT_TRUE(fetched);
  verified =
      Cli("verify --bundle " + bundle.string() + " --trust " + trust.string() + " --file " + poem.string());
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("time-stamp"), std::string::npos) << verified.out;
  verified =
      Cli("verify --bundle " + bundle.string() + " --trust " + trust.string() + " --file " + other.string());
  EXPECT_NE(verified.exit_code, 0) << verified.out;
}

// The governance state every node serves: the genesis members and validator-set record 0 (whose
// hash is the suite hash of its encoding), and no proposals yet.
TEST_P(RecordsIntegrationTest, GovernanceStateIsServedAsGenesisDefinedIt) {
  const Json governance = CliJson("gov list --json --node " + other_node_url_);
  ASSERT_TRUE(governance.contains("members")) << governance.dump();
  ASSERT_EQ(governance["members"].size(), 4u) << governance.dump();
  EXPECT_EQ(governance["members"][0].value("name", ""), "node-0");
  EXPECT_EQ(governance["members"][0].value("role", ""), "regulator-consensus");
  EXPECT_EQ(governance["members"][1].value("voting_power", 0), 10);
  EXPECT_TRUE(governance["proposals"].empty());
  EXPECT_EQ(governance.value("validator_set_sequence", -1), 0);

  const client::NodeClient node(node_url_);
  const Result<std::string> text = node.GetJsonText("/v1/governance/validator-sets/0");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  const Json record = Json::parse(*text);
  EXPECT_EQ(record.value("sequence", -1), 0);
  EXPECT_EQ(record["members"].size(), 4u);
  const Bytes encoding = HexDecode(record.value("encoding", "")).value();
  EXPECT_EQ(record.value("hash", ""), HexEncode(crypto::Hash(Hash(), encoding)));
  EXPECT_FALSE(node.GetJsonText("/v1/governance/validator-sets/1").ok());

  // Every validator takes part: none is reported passive, and the API shows what was seen of each.
  const Json validators = Json::parse(node.GetJsonText("/v1/validators").value());
  ASSERT_EQ(validators.size(), 4u);
  for (const Json& validator : validators) {
    EXPECT_FALSE(validator.value("passive", true)) << validator.dump();
    EXPECT_TRUE(validator.contains("last_signed_height")) << validator.dump();
  }
  EXPECT_TRUE(Json::parse(node.GetJsonText("/v1/evidence").value()).empty());

  const RunResult listed = Cli("gov list --node " + node_url_);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("node-3      consensus            power 10"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("(none)"), std::string::npos) << listed.out;
}

INSTANTIATE_TEST_SUITE_P(Suites, RecordsIntegrationTest, ::testing::Values("std", "sm"),
                         [](const auto& suite_info) { return suite_info.param; });

}  // namespace
}  // namespace rightchain::cli
