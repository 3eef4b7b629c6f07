// Runs a built binary as a subprocess and captures what it printed.
#ifndef CSE_TESTS_CLI_SUBPROCESS_H_
#define CSE_TESTS_CLI_SUBPROCESS_H_

#include <string>
#include <vector>

namespace cse::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the binary's path) with `stdin_text` on standard
// input, NO_COLOR set, and waits for it.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::string& stdin_text = "");

}  // namespace cse::testing

#endif  // CSE_TESTS_CLI_SUBPROCESS_H_
