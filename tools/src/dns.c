/* dns: being written (issue 5) */
#include "internal.h"
