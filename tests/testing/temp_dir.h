// A fresh directory for one test, removed with everything in it when the
// object goes away. Under $TEST_TMPDIR when set, else under /tmp.
//
// Example:
//   TempDir dir;
//   std::string path = dir.WriteFile("mapping.yaml", yaml);
#ifndef CSE_TESTS_TESTING_TEMP_DIR_H_
#define CSE_TESTS_TESTING_TEMP_DIR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cse::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // "<dir>/<name>".
  std::string Path(absl::string_view name) const;

  // Writes `content` to <dir>/<name> and returns the path. Writes to a
  // temporary name first and renames it into place, so a poller never sees
  // a half-written file. Fails the test (ADD_FAILURE) on I/O errors.
  std::string WriteFile(absl::string_view name, absl::string_view content);

 private:
  std::string path_;
};

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_TEMP_DIR_H_
