#include "cli/fingerprint_cli.h"

#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/fingerprint_commands.h"

namespace rightchain::cli {

FingerprintCli::FingerprintCli(CLI::App& app) {
  fingerprint_ = app.add_subcommand(
      "fingerprint", "print the kind, algorithm and fingerprint of a text, image, audio or video file");
  fingerprint_->add_option("file", file_, "text, image, audio or video file")->required();

  CLI::App* index =
      app.add_subcommand("index", "register works in a local fingerprint index, or remove them");
  index->require_subcommand(1);
  index_add_ = index->add_subcommand("add", "fingerprint files and register them under new ids (printed)");
  index_add_->add_option("--index", index_directory_, "index directory (created if missing)")->required();
  index_add_->add_option("files", files_, "text, image, audio or video files")->required();
  index_remove_ = index->add_subcommand("remove", "remove registered works by id");
  index_remove_->add_option("--index", index_directory_, "index directory")->required();
  index_remove_->add_option("ids", ids_, "work ids printed by index add")->required();

  match_ = app.add_subcommand("match", "list the registered works a file copies, best first");
  match_->add_option("file", file_, "text, image, audio or video file")->required();
  match_->add_option("--index", index_directory_, "index directory")->required();
  match_->add_flag("--json", json_, "print a JSON array");
}

std::optional<int> FingerprintCli::Run(std::ostream& out, std::ostream& err) const {
  Status status;
  if (fingerprint_->parsed()) {
    status = PrintFingerprint(file_, out);
  } else if (index_add_->parsed()) {
    status = IndexAdd(index_directory_, files_, out);
  } else if (index_remove_->parsed()) {
    status = IndexRemove(index_directory_, ids_, out);
  } else if (match_->parsed()) {
    status = MatchFile(file_, index_directory_, json_, out);
  } else {
    return std::nullopt;
  }
  if (status.ok()) return 0;
  err << "rightchain: " << status.message() << "\n";
  return 1;
}

}  // namespace rightchain::cli
