/* libFuzzer target for monitor/partition/validate.c (make fuzz). */
#include <stddef.h>
#include <stdint.h>
#include "validate_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_validate_one(data, size);
    return 0;
}
