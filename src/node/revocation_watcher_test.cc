#include "node/revocation_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"
#include "pki/authority.h"

namespace rightchain::node {
namespace {

class RevocationListWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/rightchain-crl-watch-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::filesystem::path directory_;
};

TEST_F(RevocationListWatcherTest, LoadsEachNewVersionOnceAndKeepsQuietOtherwise) {
  auto authority = pki::CertificateAuthority::Create("Watch CA", 30);
  ASSERT_TRUE(authority.ok());
  const std::filesystem::path path = directory_ / "ca.crl";
  RevocationListWatcher watcher(path);

  auto polled = watcher.Poll();  // absent: nothing, no error
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  EXPECT_FALSE(polled->has_value());

  auto first = authority->IssueRevocationList({"0a"}, 30);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->SaveFile(path.string()).ok());
  polled = watcher.Poll();
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  ASSERT_TRUE(polled->has_value());
  EXPECT_EQ((*polled)->RevokedSerialsHex(), std::vector<std::string>{"a"});

  polled = watcher.Poll();  // unchanged
  ASSERT_TRUE(polled.ok());
  EXPECT_FALSE(polled->has_value());

  auto second = authority->Revoke(*first, "0b", 30);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->SaveFile(path.string()).ok());  // atomic replace: a new inode
  polled = watcher.Poll();
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  ASSERT_TRUE(polled->has_value());
  EXPECT_EQ((*polled)->RevokedSerialsHex().size(), 2u);
  EXPECT_EQ((*polled)->Number(), 2u);

  ASSERT_TRUE(WriteFile(path, "not a CRL").ok());
  polled = watcher.Poll();  // a broken version is reported once
  EXPECT_FALSE(polled.ok());
  polled = watcher.Poll();
  ASSERT_TRUE(polled.ok());
  EXPECT_FALSE(polled->has_value());

  std::filesystem::remove(path);
  polled = watcher.Poll();  // removed: nothing new
  ASSERT_TRUE(polled.ok());
  EXPECT_FALSE(polled->has_value());
}

}  // namespace
}  // namespace rightchain::node
