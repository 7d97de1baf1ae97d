/* Memory layout: gives every sandbox without a declared base the lowest free
   2 MiB-aligned region, then carves the channel area (every channel's writer
   pages and reader control pages) and places it the same way.  Sizes come
   from channels/shm_layout.h, the channels' own definition. */
#ifndef TRIAD_SYSGEN_LAYOUT_H
#define TRIAD_SYSGEN_LAYOUT_H

#include "model.h"

/* Returns the number of errors reported (no room, area too large). */
unsigned layout_memory(struct model *m);

#endif
