#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <map>

#include "sim/random.h"

namespace rightchain::sim {
namespace {

TEST(RandomTest, SameSeedSameSequenceOtherSeedOtherSequence) {
  Random a(42), b(42), c(43);
  int differences = 0;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t value = a.Next();
    EXPECT_EQ(value, b.Next());
    if (value != c.Next()) differences += 1;
  }
  EXPECT_GT(differences, 90);
}

TEST(RandomTest, RangesStayInBoundsAndCoverThem) {
  Random bounded(7);
  std::map<std::int64_t, int> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::int64_t value = bounded.Range(-3, 3);
    ASSERT_GE(value, -3);
    ASSERT_LE(value, 3);
    seen[value] += 1;
  }
  EXPECT_EQ(seen.size(), 7u);
  for (const auto& [value, count] : seen) EXPECT_GT(count, 1200) << value;  // about 1429 each
}

TEST(SimulatorTest, SameSeedGivesTheSameRun) {
  SimOptions options;
  options.seed = 5;
  options.validators = 4;
  options.heights = 15;
  options.faults = ParseFaults("all").value();
  const SimResult first = RunSimulation(options);
  const SimResult second = RunSimulation(options);
  ASSERT_TRUE(first.ok) << first.violation;
  EXPECT_EQ(first.trace_hash, second.trace_hash);
  EXPECT_EQ(first.events, second.events);
  EXPECT_EQ(first.fault_counts, second.fault_counts);
  options.seed = 6;
  EXPECT_NE(RunSimulation(options).trace_hash, first.trace_hash);
}

TEST(SimulatorTest, FaultFreeClusterCommitsEveryHeight) {
  SimOptions options;
  options.validators = 5;
  options.heights = 20;
  const SimResult result = RunSimulation(options);
  ASSERT_TRUE(result.ok) << result.violation;
  EXPECT_GE(result.heights_committed, 20u);
}

TEST(SimulatorTest, ParsesFaultLists) {
  EXPECT_EQ(ParseFaults("loss,twins").value(), (std::vector<Fault>{Fault::kLoss, Fault::kTwins}));
  EXPECT_FALSE(ParseFaults("loss,nonsense").ok());
  EXPECT_EQ(FaultListText(ParseFaults("all").value()), "all");
  EXPECT_TRUE(ParseFaults("none").value().empty());
}

}  // namespace
}  // namespace rightchain::sim

namespace rightchain::sim {
namespace {

TEST(SimulatorTest, EveryClusterSizeFromOneToEightStaysSafeAndLive) {
  for (int validators = 1; validators <= 8; ++validators) {
    SimOptions options;
    options.seed = 1000 + static_cast<std::uint64_t>(validators);
    options.validators = validators;
    options.heights = 10;
    options.faults = ParseFaults("all").value();
    const SimResult result = RunSimulation(options);
    EXPECT_TRUE(result.ok) << ReplayCommand(options) << ": " << result.violation;
    EXPECT_GE(result.heights_committed, 10u) << ReplayCommand(options);
  }
}

// Seeds that once failed, found by sweeping 10,000 seeds per cluster size (make soak-sim).
TEST(SimulatorTest, SeedsThatOnceFailedPass) {
  struct Case {
    std::uint64_t seed;
    int validators;
    const char* what;
  };
  const Case cases[] = {
      // A garbled gossip frame carried registration id 0, which nobody submitted: the simulator
      // took it for a registration and stopped on its unknown submission time.
      {1279, 5, "corrupted transaction frame"},
      // The heal left the height at round 12 (7 s steps): decided 45 s after the heal, later
      // than the fixed 30 s window allowed; the window now grows with the round timeouts.
      {3430, 4, "high round at the heal"},
  };
  for (const Case& known : cases) {
    SimOptions options;
    options.seed = known.seed;
    options.validators = known.validators;
    options.heights = 50;
    options.faults = ParseFaults("all").value();
    const SimResult result = RunSimulation(options);
    EXPECT_TRUE(result.ok) << known.what << ": " << ReplayCommand(options) << ": " << result.violation;
    EXPECT_GE(result.heights_committed, 50u) << ReplayCommand(options);
  }
}

TEST(SimulatorTest, ReplayCommandNamesEveryOption) {
  SimOptions options;
  options.seed = 77;
  options.validators = 7;
  options.heights = 60;
  options.faults = ParseFaults("loss,twins").value();
  options.suite = "sm";
  EXPECT_EQ(ReplayCommand(options),
            "rightchain-sim --seed 77 --validators 7 --heights 60 --faults loss,twins --suite sm");
}

}  // namespace
}  // namespace rightchain::sim
