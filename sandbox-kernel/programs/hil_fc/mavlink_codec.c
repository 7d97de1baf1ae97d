/* The MAVLink codec lives in tools/mavlink/ so that host tools compile the
   same source; a program is built from its own folder only, so it is
   included here (one translation unit per codec file). */
#include "../../../tools/mavlink/mavlink.c"
