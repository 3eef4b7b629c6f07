#include "sidecar/config/mapping_yaml.h"

#include "absl/strings/str_cat.h"
#include "sidecar/config/proto_yaml.h"

namespace cse::config {

MappingYamlParse ParseMappingYaml(absl::string_view yaml,
                                  absl::string_view filename) {
  MappingYamlParse result;
  if (yaml.size() > kMaxMappingYamlBytes) {
    result.errors.push_back(
        {std::string(filename), "",
         absl::StrCat("the mapping is ", yaml.size(), " bytes; at most ",
                      kMaxMappingYamlBytes, " are accepted")});
    return result;
  }
  ProtoYamlParse parsed = ParseYamlIntoMessage(
      yaml, filename, kMaxMappingYamlBytes, &result.config);
  result.source_map = std::move(parsed.source_map);
  result.errors = std::move(parsed.errors);
  return result;
}

}  // namespace cse::config
