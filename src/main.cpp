#include <soci/soci.h>

#include <iostream>

#include "cli/app.h"
#include "errors.h"
#include "secrets.h"

int main(int argc, char** argv) {
  try {
    return mig::run_cli(argc, argv);
  } catch (const mig::UsageError& e) {
    std::cerr << "mig: error: " << mig::redact_secrets(e.what()) << "\n";
    return 2;
  } catch (const mig::OperationError& e) {
    std::cerr << "mig: error: " << mig::redact_secrets(e.what()) << "\n";
    return 1;
  } catch (const soci::soci_error& e) {
    std::cerr << "mig: database error: " << mig::redact_secrets(e.get_error_message()) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "mig: error: " << mig::redact_secrets(e.what()) << "\n";
    return 1;
  }
}
