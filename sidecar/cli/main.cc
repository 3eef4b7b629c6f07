// `cse`: validate mappings, assess and explain events from the shell.
#include <iostream>

#include "sidecar/cli/cli_app.h"
#include "sidecar/cli/render.h"

int main(int argc, char** argv) {
  return cse::cli::RunCli(argc, argv, std::cout, std::cerr,
                          cse::cli::ShouldColorStdout());
}
