/* fork/exit/waitpid: each child reports its pid and exits with its own status; the parent collects them. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int waitpid(int pid, int *status, int options);

int main(int argc, char **argv)
{
    int children = argc > 1 ? atoi(argv[1]) : 3;
    int shared = 100;
    for (int i = 0; i < children; i++) {
        int pid = fork();
        if (pid < 0) {
            printf("fork_test: fork failed\n");
            return 1;
        }
        if (pid == 0) {
            shared += i;        /* the child's copy only */
            printf("fork_test: child %d pid %d sees %d\n", i, getpid(), shared);
            exit(10 + i);
        }
    }
    int ok = 1;
    for (int i = 0; i < children; i++) {
        int status = -1;
        int pid = waitpid(-1, &status, 0);
        printf("fork_test: reaped pid %d status %d\n", pid, status);
        ok &= pid > 0 && status >= 10 && status < 10 + children;
    }
    int none = waitpid(-1, 0, 0);
    printf("fork_test: parent still sees %d; waitpid with no child -> %d\n", shared, none);
    printf("fork_test: %s\n", ok && shared == 100 && none < 0 ? "passed" : "FAILED");
    return 0;
}
