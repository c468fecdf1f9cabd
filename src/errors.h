#pragma once

// The error types are public (include/mig/errors.h).
#include "mig/errors.h"
