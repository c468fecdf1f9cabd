#pragma once

// Database URLs are public (include/mig/url.h).
#include "mig/url.h"
