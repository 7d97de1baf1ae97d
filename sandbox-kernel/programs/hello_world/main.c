/* The first program: newlib's printf and malloc over the kernel's system calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char *copy = malloc(64);
    if (!copy)
        return 1;
    strcpy(copy, "hello, world");
    printf("%s from pid %d (argc %d, argv[0] %s)\n", copy, getpid(), argc, argv[0]);
    for (int i = 1; i < argc; i++)
        printf("hello_world: arg %d = %s\n", i, argv[i]);
    free(copy);
    return 0;
}
