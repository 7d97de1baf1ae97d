#ifndef TRIAD_USER_SHELL_H
#define TRIAD_USER_SHELL_H
/* Runs one shell command line (see docs/sandbox-kernel.md for the commands). */
void shell_execute(char *line);
/* The interactive shell on the console: prompt, read a line, execute, forever. */
__attribute__((noreturn)) void shell_loop(void);
#endif
