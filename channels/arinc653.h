/*
 * channels/arinc653.h: ARINC 653 APEX-style inter-partition ports on
 * shmcomm channels.
 *
 *   sampling ports -> asynchronous channels (four-slot): the newest message,
 *                     with validity from the port's refresh period;
 *   queuing ports  -> synchronous channels (FIFO): every message in order,
 *                     sends and receives with a timeout.
 *
 * A port name is bound to a channel key by the partition's configuration
 * (apex_configure_ports: from system.bin in a sandbox, from the test in
 * host tests).  Ports are created while the partition is starting (any mode
 * but APEX_NORMAL), as APEX requires.  Services return their status through
 * the last argument, as APEX does; names carry an apex_ prefix.
 *
 * Times are nanoseconds (APEX SYSTEM_TIME_TYPE), APEX_INFINITE_TIME_VALUE
 * waits forever, 0 never waits.  Message age is measured on the platform
 * clock (shmcomm_platform.now_ns), the same in every sandbox.
 */
#ifndef TRIAD_CHANNELS_ARINC653_H
#define TRIAD_CHANNELS_ARINC653_H

#include <stdint.h>

typedef int64_t apex_system_time_t;
typedef int32_t apex_port_id_t;
typedef uint32_t apex_message_size_t;

#define APEX_INFINITE_TIME_VALUE ((apex_system_time_t)-1)
#define APEX_MAX_PORTS     16
#define APEX_NAME_MAX      32     /* bytes including the terminating NUL */

typedef enum {
    APEX_NO_ERROR = 0,       /* request valid and performed */
    APEX_NO_ACTION = 1,      /* nothing to do (port already created) */
    APEX_NOT_AVAILABLE = 2,  /* no message / no room, and no waiting asked */
    APEX_INVALID_PARAM = 3,  /* a parameter is out of range (bad id, length 0) */
    APEX_INVALID_CONFIG = 4, /* disagrees with the configuration, or the channel is corrupted */
    APEX_INVALID_MODE = 5,   /* wrong direction, or creation in NORMAL mode */
    APEX_TIMED_OUT = 6       /* the time-out expired */
} apex_return_code_t;

typedef enum { APEX_SOURCE = 0, APEX_DESTINATION = 1 } apex_port_direction_t;
typedef enum { APEX_INVALID = 0, APEX_VALID = 1 } apex_validity_t;
typedef enum { APEX_FIFO = 0, APEX_PRIORITY = 1 } apex_queuing_discipline_t;
typedef enum {
    APEX_IDLE = 0, APEX_COLD_START = 1, APEX_WARM_START = 2, APEX_NORMAL = 3
} apex_operating_mode_t;

/* One line of the partition's port configuration. */
struct apex_port_config {
    const char *name;
    uint32_t key;            /* the shmcomm channel the port rides on */
};

struct apex_sampling_port_status {
    apex_system_time_t refresh_period;
    apex_message_size_t max_message_size;
    apex_port_direction_t port_direction;
    apex_validity_t last_msg_validity;
};

struct apex_queuing_port_status {
    uint32_t nb_message;
    uint32_t max_nb_message;
    apex_message_size_t max_message_size;
    apex_port_direction_t port_direction;
    uint32_t waiting_processes;  /* always 0: one process per port end */
};

/* Bind port names to channel keys and forget every port (the partition is
 * (re)starting: mode APEX_COLD_START).  The table must outlive the ports. */
void apex_configure_ports(const struct apex_port_config *table, uint32_t count);
void apex_set_partition_mode(apex_operating_mode_t mode);

void apex_create_sampling_port(const char *name, apex_message_size_t max_message_size,
                               apex_port_direction_t direction, apex_system_time_t refresh_period,
                               apex_port_id_t *id, apex_return_code_t *rc);
void apex_write_sampling_message(apex_port_id_t id, const void *message,
                                 apex_message_size_t length, apex_return_code_t *rc);
void apex_read_sampling_message(apex_port_id_t id, void *message, apex_message_size_t *length,
                                apex_validity_t *validity, apex_return_code_t *rc);
void apex_get_sampling_port_status(apex_port_id_t id, struct apex_sampling_port_status *status,
                                   apex_return_code_t *rc);

void apex_create_queuing_port(const char *name, apex_message_size_t max_message_size,
                              uint32_t max_nb_message, apex_port_direction_t direction,
                              apex_queuing_discipline_t discipline, apex_port_id_t *id,
                              apex_return_code_t *rc);
void apex_send_queuing_message(apex_port_id_t id, const void *message, apex_message_size_t length,
                               apex_system_time_t timeout, apex_return_code_t *rc);
/* `message` must hold the port's max_message_size bytes. */
void apex_receive_queuing_message(apex_port_id_t id, apex_system_time_t timeout, void *message,
                                  apex_message_size_t *length, apex_return_code_t *rc);
void apex_get_queuing_port_status(apex_port_id_t id, struct apex_queuing_port_status *status,
                                  apex_return_code_t *rc);

/* The shmcomm status behind the last APEX_INVALID_CONFIG of a port (for
 * the health monitor: SHMCOMM_ERR_CORRUPT means the other side misbehaved). */
int apex_port_last_error(apex_port_id_t id);

#endif
