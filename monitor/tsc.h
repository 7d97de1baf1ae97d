#ifndef TRIAD_MONITOR_TSC_H
#define TRIAD_MONITOR_TSC_H
#include <stdint.h>
/* TSC ticks per millisecond, measured against the PIT; 0 if the PIT never answered. */
/*@ assigns \nothing; */
uint64_t tsc_calibrate_khz(void);
#endif
