/* See mavlink_codec.c: the stream reader from tools/mavlink/. */
#include "../../../tools/mavlink/mavlink_stream.c"
