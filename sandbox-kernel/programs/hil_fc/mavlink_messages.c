/* See mavlink_codec.c: the message encoders from tools/mavlink/. */
#include "../../../tools/mavlink/mavlink_msgs.c"
