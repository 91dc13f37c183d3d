// rightchain: the consortium tool. Exit codes: 0 success, 1 operational failure, 2 usage error.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "cli/ca_commands.h"
#include "cli/certificate_command.h"
#include "cli/fingerprint_cli.h"
#include "cli/governance_commands.h"
#include "cli/keygen.h"
#include "cli/load.h"
#include "cli/network.h"
#include "cli/node_join.h"
#include "cli/note.h"
#include "cli/process.h"
#include "cli/proof_commands.h"
#include "cli/record_commands.h"
#include "cli/status.h"
#include "cli/timestamp_command.h"

namespace {

using namespace rightchain;

constexpr int kExitSuccess = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Fail(const Status& status, int exit_code) {
  std::cerr << "rightchain: " << status.message() << "\n";
  return exit_code;
}

int Finish(const Status& status) {
  return status.ok() ? kExitSuccess : Fail(status, kExitFailure);
}

Result<crypto::SuiteId> SuiteFromFlag(const std::string& name) {
  Result<crypto::SuiteId> suite = crypto::ParseSuiteName(name);
  if (!suite.ok()) return Status::InvalidArgument("--suite must be sm or std, not '" + name + "'");
  return suite;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rightchain: tools for a Rightchain consortium (local networks, status, keys)", "rightchain"};
  app.require_subcommand(1);

  // net init / up / down
  CLI::App* net = app.add_subcommand("net", "create, start and stop a local network of nodes");
  net->require_subcommand(1);

  cli::NetInitOptions init;
  std::string init_directory;
  std::string init_suite;
  CLI::App* net_init =
      net->add_subcommand("init", "create the CA, node keys and certificates, genesis and configs");
  net_init->add_option("--dir", init_directory, "network directory")->required();
  net_init->add_option("--validators", init.validators, "voting nodes (node-0 is the regulator)")
      ->capture_default_str();
  net_init->add_option("--observers", init.observers, "non-voting nodes (the last ones)")
      ->capture_default_str();
  net_init->add_option("--suite", init_suite, "crypto suite: sm or std")->required();
  net_init->add_option("--chain-id", init.chain_id, "chain id")->capture_default_str();
  net_init->add_option("--base-port", init.base_port, "transport port of node-0")->capture_default_str();
  net_init->add_option("--api-base-port", init.api_base_port, "API port of node-0")->capture_default_str();
  net_init
      ->add_option("--host", init.host, "loopback address peers dial and the API serves: 127.0.0.1 or ::1")
      ->capture_default_str();
  net_init->add_option("--block-interval-ms", init.block_interval_milliseconds, "target block interval")
      ->capture_default_str();
  net_init->add_flag("--force", init.force, "replace the contents of a non-empty directory");

  cli::NetUpOptions up;
  std::string up_directory;
  CLI::App* net_up = net->add_subcommand("up", "start the network's nodes and wait for committed blocks");
  net_up->add_option("--dir", up_directory, "network directory")->required();
  net_up->add_option("--timeout-seconds", up.timeout_seconds, "how long to wait for blocks")
      ->capture_default_str();
  net_up->add_option("--rightchaind", up.rightchaind, "path of the rightchaind binary");

  std::string down_directory;
  CLI::App* net_down = net->add_subcommand("down", "stop the network's nodes");
  net_down->add_option("--dir", down_directory, "network directory")->required();

  // status
  std::string status_directory;
  bool status_json = false;
  CLI::App* status = app.add_subcommand("status", "show each node's height, block, log and peers");
  status->add_option("--dir", status_directory, "network directory")->required();
  status->add_flag("--json", status_json, "print a JSON array");
  bool status_peers = false;
  status->add_flag("--peers", status_peers,
                   "also show each node's peer table (role, height, last seen, RTT)");

  // keygen
  cli::KeygenOptions keygen;
  std::string keygen_suite;
  std::string keygen_out;
  std::string keygen_passphrase_file;
  CLI::App* keygen_command = app.add_subcommand("keygen", "generate a signing key (encrypted PKCS#8)");
  keygen_command->add_option("--suite", keygen_suite, "crypto suite: sm or std")->required();
  keygen_command->add_option("--out", keygen_out, "private key file (FILE.pub gets the public key)")
      ->required();
  keygen_command->add_option("--passphrase-file", keygen_passphrase_file,
                             "passphrase to encrypt with (default: a random one written to FILE.pass)");

  // note
  cli::NoteOptions note;
  CLI::App* note_command = app.add_subcommand("note", "sign a note transaction and submit it to a node");
  note_command->add_option("--node", note.node_url, "the node's API URL, e.g. http://127.0.0.1:8600")
      ->required();
  note_command->add_option("--key", note.key_file, "signing key (default: a fresh one)");
  note_command->add_option("--passphrase-file", note.passphrase_file, "passphrase of --key");
  note_command->add_flag("--wait", note.wait, "wait until the note is committed");
  note_command->add_option("text", note.text, "the note's text")->required();

  // load
  cli::LoadOptions load;
  std::string load_directory;
  std::string load_committed_ids;
  bool load_json = false;
  CLI::App* load_command =
      app.add_subcommand("load", "submit signed notes across the nodes at a rate and report");
  load_command->add_option("--dir", load_directory, "network directory")->required();
  load_command->add_option("--rate", load.rate_per_second, "transactions per second")->required();
  load_command->add_option("--seconds", load.seconds, "how long to submit")->required();
  load_command->add_option("--accounts", load.accounts, "fresh sender keys")->capture_default_str();
  load_command->add_option("--submitters", load.submitters, "concurrent submissions")->capture_default_str();
  load_command->add_option("--expiry-heights", load.expiry_heights, "expiry above the start height")
      ->capture_default_str();
  load_command->add_option("--wait-seconds", load.wait_seconds, "wait for outcomes after submitting")
      ->capture_default_str();
  load_command->add_option("--payload-bytes", load.payload_bytes, "note length")->capture_default_str();
  load_command
      ->add_option("--batch-size", load.batch_size,
                   "transactions per request (more than 1: POST /v1/transactions/batch)")
      ->capture_default_str();
  load_command->add_option("--committed-ids", load_committed_ids,
                           "write 'id height' per committed transaction");
  load_command->add_flag("--json", load_json, "print the report as JSON");

  // register, register-batch, endorse, evidence, show, account: they run from their callbacks.
  std::optional<Status> record_outcome;
  const std::shared_ptr<void> record_commands = cli::AddRecordCommands(app, record_outcome);
  const std::shared_ptr<void> proof_commands = cli::AddProofCommands(app, record_outcome);
  const std::shared_ptr<void> certificate_command = cli::AddCertificateCommand(app, record_outcome);
  const std::shared_ptr<void> timestamp_command = cli::AddTimeStampCommand(app, record_outcome);
  const std::shared_ptr<void> governance_commands = cli::AddGovernanceCommands(app, record_outcome);
  const cli::FingerprintCli fingerprint_commands(app);  // fingerprint, index add|remove, match
  const std::shared_ptr<void> ca_commands = cli::AddCaCommands(app, record_outcome);  // ca issue|revoke
  const std::shared_ptr<void> node_commands = cli::AddNodeJoinCommand(app, record_outcome);  // node join

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::cerr << "rightchain: " << error.what() << "\nRun with --help for usage.\n";
    return kExitUsage;
  }

  if (record_outcome.has_value()) return Finish(*record_outcome);
  if (net_init->parsed()) {
    init.directory = init_directory;
    Result<crypto::SuiteId> suite = SuiteFromFlag(init_suite);
    if (!suite.ok()) return Fail(suite.status(), kExitUsage);
    init.suite = *suite;
    if (Status valid = cli::ValidateNetInitOptions(init); !valid.ok()) return Fail(valid, kExitUsage);
    return Finish(cli::InitNetwork(init, std::cout));
  }
  if (net_up->parsed()) {
    up.directory = up_directory;
    if (up.timeout_seconds == 0)
      return Fail(Status::InvalidArgument("--timeout-seconds must be positive"), kExitUsage);
    return Finish(cli::NetUp(up, std::cout));
  }
  if (net_down->parsed()) return Finish(cli::NetDown(down_directory, std::cout));
  if (status->parsed()) {
    Result<std::vector<cli::NetworkNode>> nodes = cli::LoadNetwork(status_directory);
    if (!nodes.ok()) return Fail(nodes.status(), kExitFailure);
    const std::vector<cli::NodeReport> reports = cli::CollectStatus(*nodes, status_peers);
    if (status_json) {
      cli::PrintStatusJson(reports, std::cout);
    } else {
      cli::PrintStatusTable(reports, std::cout);
      if (status_peers) {
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        cli::PrintPeerTables(reports, std::chrono::duration_cast<std::chrono::milliseconds>(now).count(),
                             std::cout);
      }
    }
    return kExitSuccess;
  }
  if (keygen_command->parsed()) {
    Result<crypto::SuiteId> suite = SuiteFromFlag(keygen_suite);
    if (!suite.ok()) return Fail(suite.status(), kExitUsage);
    keygen.suite = *suite;
    keygen.out = keygen_out;
    keygen.passphrase_file = keygen_passphrase_file;
    return Finish(cli::Keygen(keygen, std::cout));
  }
  if (note_command->parsed()) return Finish(cli::SubmitNote(note, std::cout));
  if (load_command->parsed()) {
    load.directory = load_directory;
    load.committed_ids_file = load_committed_ids;
    if (Status valid = cli::ValidateLoadOptions(load); !valid.ok()) return Fail(valid, kExitUsage);
    Result<cli::LoadReport> report = cli::RunLoad(load, load_json ? std::cerr : std::cout);
    if (!report.ok()) return Fail(report.status(), kExitFailure);
    if (load_json) {
      cli::PrintLoadReportJson(*report, std::cout);
    } else {
      cli::PrintLoadReport(*report, std::cout);
    }
    return kExitSuccess;
  }
  if (std::optional<int> code = fingerprint_commands.Run(std::cout, std::cerr)) return *code;
  return Fail(Status::InvalidArgument("no command given"), kExitUsage);
}
