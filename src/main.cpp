#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  try {
    return mig::run_cli(argc, argv);
  } catch (const std::exception& e) {  // run_cli reports its own errors
    std::cerr << "mig: error: " << e.what() << "\n";
    return 1;
  }
}
