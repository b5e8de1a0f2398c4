// The hints are static inline functions in the header; this file gives the target a source to build.
#include "CProcessor.h"
