/* Replays every input kept in tests/fuzz/regressions/ (and the good tables
   that seed the fuzzer) through the fuzz harness, under ASan/UBSan: an input
   that once crashed the validator must now be handled. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "partition/validate.h"
#include "validate_one.h"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void regression_inputs(void **state)
{
    (void)state;
    DIR *d = opendir(REGRESSION_DIR);
    assert_non_null(d);
    unsigned replayed = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", REGRESSION_DIR, e->d_name);
        size_t len;
        uint8_t *buf = slurp(path, &len);
        int r = fuzz_validate_one(buf, len);
        assert_true(r >= 0 && r < TRIAD_TABLE_ERROR_COUNT);
        free(buf);
        replayed++;
    }
    closedir(d);
    printf("# replayed %u regression input(s)\n", replayed);
}

/* The seeds pass through the harness as valid tables. */
static void seeds_are_valid(void **state)
{
    (void)state;
    static const char *const seeds[] = { "uav-tmr.bin", "minimal.bin", "examples/three-sandboxes.bin" };
    for (unsigned i = 0; i < 3; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", TABLE_DIR, seeds[i]);
        size_t len;
        uint8_t *buf = slurp(path, &len);
        assert_int_equal(fuzz_validate_one(buf, len), TRIAD_TABLE_OK);
        free(buf);
    }
}

/* REQ: MON-TBL-002 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regression_inputs),
        cmocka_unit_test(seeds_are_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
