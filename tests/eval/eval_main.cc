// cse-eval: see eval_tool.h.
#include <iostream>

#include "tests/eval/eval_tool.h"

int main(int argc, char** argv) {
  return cse::eval::EvalMain(argc, argv, std::cout, std::cerr);
}
