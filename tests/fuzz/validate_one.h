/* One fuzz input through the monitor's table validator, shared by the
   libFuzzer target (make fuzz) and the regression replay in check-unit. */
#ifndef TRIAD_FUZZ_VALIDATE_ONE_H
#define TRIAD_FUZZ_VALIDATE_ONE_H

#include <stddef.h>
#include <stdint.h>

/* Validates `data` as given (copied into a buffer of exactly `size` bytes,
   so any over-read is caught by ASan), then, when it is long enough to be a
   table, once more with its body checksum recomputed, so mutations reach the
   semantic rules instead of stopping at the checksum.  Returns the second
   result when there is one, else the first. */
int fuzz_validate_one(const uint8_t *data, size_t size);

#endif
