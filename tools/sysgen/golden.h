/* Golden image digests: `--image NAME=PATH` fills the kernel_sha256 of every
   sandbox whose kernel module is NAME with the SHA-256 of the file PATH. */
#ifndef TRIAD_SYSGEN_GOLDEN_H
#define TRIAD_SYSGEN_GOLDEN_H

#include "model.h"

/* Applies one NAME=PATH; prints "sysgen: --image ...: why" and returns 1 on
   error (malformed, unreadable file, or no sandbox boots module NAME).  A
   digest already written in the description (sha256="...") is kept: the
   integrator's explicit value wins, so a mismatch stays detectable. */
unsigned golden_apply(struct model *m, const char *spec);

#endif
