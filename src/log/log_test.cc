#include "log/log.h"

#include <gtest/gtest.h>

namespace rightchain::log {
namespace {

TEST(LogTest, ConfigureAcceptsKnownLevelsAndRejectsOthers) {
  EXPECT_TRUE(Configure({"debug", false}).ok());
  EXPECT_TRUE(Configure({"off", true}).ok());
  const Status unknown = Configure({"loud", false});
  EXPECT_EQ(unknown.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("loud"), std::string::npos);
  EXPECT_TRUE(Configure({"info", false}).ok());
}

TEST(LogTest, OneLoggerPerComponent) {
  const auto first = For("consensus");
  const auto second = For("consensus");
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(first->name(), "consensus");
  EXPECT_NE(For("net").get(), first.get());
}

TEST(LogTest, JsonLinesCarryComponentAndMessage) {
  ASSERT_TRUE(Configure({"info", true}).ok());
  ::testing::internal::CaptureStderr();
  For("api")->info("listening on {}", 8080);
  const std::string line = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(line.find("\"component\":\"api\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"message\":\"listening on 8080\""), std::string::npos) << line;
  ASSERT_TRUE(Configure({"info", false}).ok());
}

}  // namespace
}  // namespace rightchain::log
