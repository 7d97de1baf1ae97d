/*
 * channels/shmcomm_errors.h: the status codes shared by every layer of the
 * channel code (four-slot, FIFO, shmcomm API).  0 or a positive count means
 * success; a negative value is exactly one of these.  The values are part of
 * the program ABI: never renumber them.
 */
#ifndef TRIAD_CHANNELS_SHMCOMM_ERRORS_H
#define TRIAD_CHANNELS_SHMCOMM_ERRORS_H

enum shmcomm_status {
    SHMCOMM_OK            = 0,
    SHMCOMM_ERR_KEY       = -1,  /* the platform's policy does not give this key to us */
    SHMCOMM_ERR_SIZE      = -2,  /* message larger than declared, zero, or buffer too small */
    SHMCOMM_ERR_DEPTH     = -3,  /* FIFO depth of zero (or negative) */
    SHMCOMM_ERR_FLAGS     = -4,  /* flags contradict each other or are unknown */
    SHMCOMM_ERR_FULL      = -5,  /* non-blocking write on a full FIFO */
    SHMCOMM_ERR_EMPTY     = -6,  /* non-blocking read with nothing new */
    SHMCOMM_ERR_TIMEOUT   = -7,  /* blocking call ran out of time */
    SHMCOMM_ERR_CORRUPT   = -8,  /* an index or length read from the other side is impossible */
    SHMCOMM_ERR_CONFIG    = -9,  /* open's parameters disagree with the system description */
    SHMCOMM_ERR_BADCH     = -10, /* null, closed or foreign channel handle, null buffer */
    SHMCOMM_ERR_NOSPACE   = -11, /* every channel handle of this program is in use */
    SHMCOMM_ERR_MARSHAL   = -12, /* the marshal/unmarshal hook failed or overflowed */
    SHMCOMM_ERR_PLATFORM  = -13, /* no platform backend installed */
    SHMCOMM_ERR_ROLE      = -14  /* write on a receive end or read on a send end */
};

/* A readable name for a status, for consoles and test messages. */
const char *shmcomm_strerror(int status);

#endif
