/* The semantic rules a schema cannot express, run after the layout.  Each
   rule has a short name that appears in its message (FILE:LINE: RULE: ...);
   docs/system-description.md lists them all. */
#ifndef TRIAD_SYSGEN_CHECK_H
#define TRIAD_SYSGEN_CHECK_H

#include "model.h"

/* Reports every broken rule; returns how many. Fills TMR output channels
   the description leaves implicit. */
unsigned check_description(struct model *m);

#endif
