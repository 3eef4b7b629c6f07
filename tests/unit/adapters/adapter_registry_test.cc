#include "adapters/adapter_registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::adapters {
namespace {

using ::cse::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class NamedFactory : public CrmAdapterFactory {
 public:
  explicit NamedFactory(std::string kind) : kind_(std::move(kind)) {}
  absl::string_view kind() const override { return kind_; }
  std::vector<config::ConfigError> Validate(const cse::adapters::v1::CrmConfig&,
                                            absl::string_view) const override {
    return {};
  }
  absl::StatusOr<std::unique_ptr<CrmAdapter>> Create(
      const cse::adapters::v1::CrmConfig&,
      const AdapterContext&) const override {
    return absl::UnimplementedError("test factory");
  }

 private:
  std::string kind_;
};

TEST(AdapterRegistryTest, FindsRegisteredKindsAndListsThemSorted) {
  AdapterRegistry registry;
  ASSERT_TRUE(
      registry.Register(std::make_unique<NamedFactory>("zendesk")).ok());
  ASSERT_TRUE(
      registry.Register(std::make_unique<NamedFactory>("hubspot")).ok());
  EXPECT_EQ(registry.Find("zendesk")->kind(), "zendesk");
  EXPECT_EQ(registry.Find("salesforce"), nullptr);
  EXPECT_THAT(registry.Kinds(), ElementsAre("hubspot", "zendesk"));
}

TEST(AdapterRegistryTest, RefusesSecondRegistrationOfAKind) {
  AdapterRegistry registry;
  ASSERT_TRUE(
      registry.Register(std::make_unique<NamedFactory>("zendesk")).ok());
  EXPECT_THAT(registry.Register(std::make_unique<NamedFactory>("zendesk")),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("'zendesk' is registered twice")));
}

}  // namespace
}  // namespace cse::adapters
