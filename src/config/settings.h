#pragma once

// Settings are public (include/mig/settings.h).
#include "mig/settings.h"
