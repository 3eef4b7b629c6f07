#include "tests/testing/temp_dir.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace cse::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string tmpl = absl::StrCat(
      base != nullptr && *base != '\0' ? base : "/tmp", "/cse-test-XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp(" << tmpl << ") failed";
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Path(absl::string_view name) const {
  return absl::StrCat(path_, "/", name);
}

std::string TempDir::WriteFile(absl::string_view name,
                               absl::string_view content) {
  const std::string path = Path(name);
  const std::string tmp = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) ADD_FAILURE() << "cannot write " << tmp;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    ADD_FAILURE() << "cannot rename " << tmp << " to " << path;
  }
  return path;
}

}  // namespace cse::testing
