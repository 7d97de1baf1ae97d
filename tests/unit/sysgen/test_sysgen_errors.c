/* sysgen on bad descriptions: every file in tests/unit/sysgen/bad/ breaks
   one rule and says, in a comment line "EXPECT: <message>", the exact first
   line sysgen must print.  Each case asserts that message, exit status 1,
   and that nothing was written: the output directory holds exactly the
   stale output placed there before the run, unchanged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#ifndef TOP_DIR
#error "TOP_DIR and SYSGEN must be defined"
#endif

#define BAD_DIR "tests/unit/sysgen/bad"
#define STALE "stale output of an earlier good run\n"

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

/* Runs sysgen on `input` with outputs in `dir`; returns its exit status and
   its stderr's first line in `first`. */
static int run_sysgen(const char *input, const char *dir, char *first, size_t first_len)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s --schema config/system.xsd --bin %s/out.bin --header %s/out.h --report %s/out.txt %s 2>&1 >/dev/null",
             SYSGEN, dir, dir, dir, input);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    first[0] = '\0';
    if (fgets(first, (int)first_len, p) != NULL)
        first[strcspn(first, "\n")] = '\0';
    char rest[1024];
    while (fgets(rest, sizeof rest, p) != NULL) {
    }
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static unsigned count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    unsigned n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void bad_description(void **state)
{
    const char *name = *state;
    char input[512];
    snprintf(input, sizeof input, "%s/%s", BAD_DIR, name);
    char *text = read_file(input);
    assert_non_null(text);
    char *expect = strstr(text, "EXPECT: ");
    assert_non_null(expect);
    expect += strlen("EXPECT: ");
    char *end = strstr(expect, " -->");
    assert_non_null(end);
    *end = '\0';

    char dir[] = "/tmp/triad-sysgen-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char stale[600];
    snprintf(stale, sizeof stale, "%s/out.bin", dir);
    FILE *f = fopen(stale, "w");
    assert_non_null(f);
    fputs(STALE, f);
    fclose(f);

    char first[1024];
    int status = run_sysgen(input, dir, first, sizeof first);
    assert_int_equal(status, 1);
    assert_string_equal(first, expect);
    /* Nothing written: only the stale file, unchanged; no temporaries. */
    assert_int_equal(count_entries(dir), 1);
    char *after = read_file(stale);
    assert_non_null(after);
    assert_string_equal(after, STALE);
    free(after);
    unlink(stale);
    rmdir(dir);
    free(text);
}

/* The same harness on good descriptions: exit 0 and all three outputs. */
static void good_description(void **state)
{
    (void)state;
    static const char *const inputs[] = { "config/minimal.xml", "config/uav-tmr.xml", "config/examples/three-sandboxes.xml" };
    for (unsigned i = 0; i < 3; i++) {
        char dir[] = "/tmp/triad-sysgen-XXXXXX";
        assert_non_null(mkdtemp(dir));
        char first[1024];
        assert_int_equal(run_sysgen(inputs[i], dir, first, sizeof first), 0);
        assert_string_equal(first, "");
        assert_int_equal(count_entries(dir), 3);
        static const char *const outs[] = { "out.bin", "out.h", "out.txt" };
        for (unsigned k = 0; k < 3; k++) {
            char path[600];
            snprintf(path, sizeof path, "%s/%s", dir, outs[k]);
            assert_int_equal(access(path, R_OK), 0);
            unlink(path);
        }
        rmdir(dir);
    }
}

static void usage_errors(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s config/minimal.xml 2>/dev/null", SYSGEN);
    int status = system(cmd);
    assert_int_equal(WEXITSTATUS(status), 2);   /* no --schema */
    char dir[] = "/tmp/triad-sysgen-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char first[1024];
    assert_int_equal(run_sysgen("tests/unit/sysgen/bad/no-such-file.xml", dir, first, sizeof first), 1);
    assert_non_null(strstr(first, "no-such-file.xml:"));
    assert_int_equal(count_entries(dir), 0);
    rmdir(dir);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_xml(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0;
}

/* REQ: SYSGEN-RULE-001 */
int main(void)
{
    if (chdir(TOP_DIR) != 0) {
        perror(TOP_DIR);
        return 1;
    }
    struct dirent **files;
    int n = scandir(BAD_DIR, &files, is_xml, by_name);
    if (n <= 0) {
        fprintf(stderr, "no bad descriptions in %s\n", BAD_DIR);
        return 1;
    }
    struct CMUnitTest *tests = calloc((size_t)n + 2, sizeof *tests);
    for (int i = 0; i < n; i++) {
        tests[i].name = strdup(files[i]->d_name);
        tests[i].test_func = bad_description;
        tests[i].initial_state = (void *)tests[i].name;
    }
    tests[n] = (struct CMUnitTest)cmocka_unit_test(good_description);
    tests[n + 1] = (struct CMUnitTest)cmocka_unit_test(usage_errors);
    return _cmocka_run_group_tests("sysgen_errors", tests, (size_t)n + 2, NULL, NULL);
}
