#include <iostream>

#include "cli/app.h"
#include "engine/process.h"

int main(int argc, char** argv) {
  mig::configure_mig_process();  // mig owns this process; a library user's would not
  try {
    return mig::run_cli(argc, argv);
  } catch (const std::exception& e) {  // run_cli reports its own errors
    std::cerr << "mig: error: " << e.what() << "\n";
    return 1;
  }
}
