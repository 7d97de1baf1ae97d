/*
 * channels/arinc653.c: APEX ports as a thin layer over shmcomm.  All the
 * shared-memory work and its checks stay in shmcomm; this file maps APEX
 * parameters and return codes onto it and keeps the per-port settings
 * (refresh period, validity of the last read) that APEX adds.
 */
#include "arinc653.h"
#include "shmcomm.h"

enum port_kind { PORT_FREE = 0, PORT_SAMPLING = 1, PORT_QUEUING = 2 };

struct apex_port {
    enum port_kind kind;
    const struct apex_port_config *config;
    shmcomm_channel_t ch;
    apex_port_direction_t direction;
    apex_message_size_t max_message_size;
    uint32_t max_nb_message;
    apex_system_time_t refresh_period;
    apex_validity_t last_validity;
    int last_error;
};

static struct apex_port ports[APEX_MAX_PORTS];
static const struct apex_port_config *port_table;
static uint32_t port_table_count;
static apex_operating_mode_t partition_mode = APEX_COLD_START;

/* Bounded string equality: names longer than APEX_NAME_MAX never match. */
static int same_name(const char *a, const char *b)
{
    for (uint32_t i = 0; i < APEX_NAME_MAX; i++) {
        if (a[i] != b[i])
            return 0;
        if (a[i] == '\0')
            return 1;
    }
    return 0;
}

void apex_configure_ports(const struct apex_port_config *table, uint32_t count)
{
    for (uint32_t i = 0; i < APEX_MAX_PORTS; i++) {
        if (ports[i].kind != PORT_FREE)
            shmcomm_close(ports[i].ch);
        ports[i].kind = PORT_FREE;
    }
    port_table = table;
    port_table_count = table ? count : 0;
    partition_mode = APEX_COLD_START;
}

void apex_set_partition_mode(apex_operating_mode_t mode)
{
    partition_mode = mode;
}

static struct apex_port *port_of(apex_port_id_t id, enum port_kind kind)
{
    if (id < 1 || id > APEX_MAX_PORTS)
        return 0;
    struct apex_port *p = &ports[id - 1];
    return p->kind == kind ? p : 0;
}

static apex_return_code_t from_shmcomm(struct apex_port *p, int status)
{
    switch (status) {
    case SHMCOMM_ERR_EMPTY:
    case SHMCOMM_ERR_FULL:
        return APEX_NOT_AVAILABLE;
    case SHMCOMM_ERR_TIMEOUT:
        return APEX_TIMED_OUT;
    case SHMCOMM_ERR_SIZE:
        return APEX_INVALID_PARAM;
    default:
        p->last_error = status;
        return status >= 0 ? APEX_NO_ERROR : APEX_INVALID_CONFIG;
    }
}

/* Shared part of both creates: name lookup, mode, duplicates, a free id. */
static apex_return_code_t begin_create(const char *name, apex_message_size_t max_message_size,
                                       apex_port_direction_t direction,
                                       const struct apex_port_config **config,
                                       apex_port_id_t *id)
{
    if (name == 0 || id == 0)
        return APEX_INVALID_PARAM;
    if (partition_mode == APEX_NORMAL)
        return APEX_INVALID_MODE;
    const struct apex_port_config *c = 0;
    for (uint32_t i = 0; i < port_table_count && c == 0; i++)
        if (same_name(port_table[i].name, name))
            c = &port_table[i];
    if (c == 0)
        return APEX_INVALID_CONFIG;
    for (uint32_t i = 0; i < APEX_MAX_PORTS; i++)
        if (ports[i].kind != PORT_FREE && ports[i].config == c) {
            *id = (apex_port_id_t)(i + 1);
            return APEX_NO_ACTION;
        }
    if (max_message_size == 0)
        return APEX_INVALID_CONFIG;
    if (direction != APEX_SOURCE && direction != APEX_DESTINATION)
        return APEX_INVALID_CONFIG;
    for (uint32_t i = 0; i < APEX_MAX_PORTS; i++)
        if (ports[i].kind == PORT_FREE) {
            *id = (apex_port_id_t)(i + 1);
            *config = c;
            return APEX_NO_ERROR;
        }
    return APEX_INVALID_CONFIG;               /* more ports than configured room */
}

/* Opening fails when the description disagrees with what was asked. */
static apex_return_code_t open_channel(struct apex_port *p, uint32_t kind_flag, int depth)
{
    int status;
    if (p->direction == APEX_SOURCE)
        status = shmcomm_open_send(p->config->key, SHMCOMM_CREATE_CH | kind_flag, 0,
                                   p->max_message_size, depth, &p->ch);
    else
        status = shmcomm_open_receive(p->config->key, SHMCOMM_CONNECT_CH | kind_flag, 0,
                                      p->max_message_size, depth, &p->ch);
    p->last_error = status;
    return status == SHMCOMM_OK ? APEX_NO_ERROR : APEX_INVALID_CONFIG;
}

/* What a create asks for beyond name, size and direction. */
struct port_request {
    enum port_kind kind;
    uint32_t max_nb_message;            /* queuing: the FIFO depth; sampling: 1 */
    apex_system_time_t refresh_period;  /* sampling only */
};

/* Both creates: the shared checks, the kind's own check (`valid`), then the
 * channel.  An existing port answers NO_ACTION with its id. */
static apex_return_code_t create_port(const char *name, apex_message_size_t max_message_size,
                                      apex_port_direction_t direction, int valid,
                                      const struct port_request *req, apex_port_id_t *id)
{
    const struct apex_port_config *config = 0;
    apex_port_id_t slot = 0;
    apex_return_code_t r = begin_create(name, max_message_size, direction, &config, &slot);
    if (r == APEX_NO_ACTION)
        *id = slot;
    if (r != APEX_NO_ERROR)
        return r;
    if (!valid)
        return APEX_INVALID_CONFIG;
    struct apex_port *p = &ports[slot - 1];
    p->config = config;
    p->direction = direction;
    p->max_message_size = max_message_size;
    p->max_nb_message = req->max_nb_message;
    p->refresh_period = req->refresh_period;
    p->last_validity = APEX_INVALID;
    r = req->kind == PORT_SAMPLING ? open_channel(p, SHMCOMM_ASYNC_CH, -1)
                                   : open_channel(p, SHMCOMM_SYNC_CH, (int)req->max_nb_message);
    if (r == APEX_NO_ERROR) {
        p->kind = req->kind;
        *id = slot;
    }
    return r;
}

/* Every service reports through an optional pointer. */
static void report(apex_return_code_t *rc, apex_return_code_t r)
{
    if (rc)
        *rc = r;
}

void apex_create_sampling_port(const char *name, apex_message_size_t max_message_size,
                               apex_port_direction_t direction, apex_system_time_t refresh_period,
                               apex_port_id_t *id, apex_return_code_t *rc)
{
    const struct port_request req = { PORT_SAMPLING, 1, refresh_period };
    report(rc, create_port(name, max_message_size, direction, refresh_period > 0, &req, id));
}

/* Both sends: a source port of the right kind, a message of 1..maximum bytes. */
static apex_return_code_t send_on(struct apex_port *p, const void *message,
                                  apex_message_size_t length, uint64_t timeout)
{
    if (p == 0 || message == 0 || length == 0)
        return APEX_INVALID_PARAM;
    if (length > p->max_message_size)
        return APEX_INVALID_CONFIG;
    if (p->direction != APEX_SOURCE)
        return APEX_INVALID_MODE;
    int n = shmcomm_write_timeout(p->ch, message, length, timeout);
    return n == (int)length ? APEX_NO_ERROR : from_shmcomm(p, n);
}

void apex_write_sampling_message(apex_port_id_t id, const void *message,
                                 apex_message_size_t length, apex_return_code_t *rc)
{
    report(rc, send_on(port_of(id, PORT_SAMPLING), message, length, 0));
}

/* Both receives: a destination port of the right kind (`params_ok`: the
 * service's own parameters).  *length gets the bytes received. */
static apex_return_code_t receive_on(struct apex_port *p, void *message,
                                     apex_message_size_t *length, int params_ok,
                                     uint64_t timeout, struct shmcomm_msg_info *info)
{
    if (p == 0 || message == 0 || length == 0 || !params_ok)
        return APEX_INVALID_PARAM;
    if (p->direction != APEX_DESTINATION)
        return APEX_INVALID_MODE;
    int n = p->kind == PORT_SAMPLING
          ? shmcomm_read_latest(p->ch, message, p->max_message_size, info)
          : shmcomm_read_timeout(p->ch, message, p->max_message_size, timeout, info);
    if (n <= 0)
        return from_shmcomm(p, n);
    *length = (apex_message_size_t)n;
    return APEX_NO_ERROR;
}

void apex_read_sampling_message(apex_port_id_t id, void *message, apex_message_size_t *length,
                                apex_validity_t *validity, apex_return_code_t *rc)
{
    struct apex_port *p = port_of(id, PORT_SAMPLING);
    struct shmcomm_msg_info info;
    if (length)
        *length = 0;
    if (validity)
        *validity = APEX_INVALID;
    apex_return_code_t r = receive_on(p, message, length, validity != 0, 0, &info);
    if (r == APEX_NO_ERROR) {
        const struct shmcomm_platform *pf = shmcomm_get_platform();
        uint64_t now = pf->now_ns(pf->ctx);
        /* A timestamp from the future (clock skew or a lying writer)
         * counts as age 0; an age beyond the refresh period is stale. */
        uint64_t age = now > info.timestamp ? now - info.timestamp : 0;
        p->last_validity = age <= (uint64_t)p->refresh_period ? APEX_VALID : APEX_INVALID;
        *validity = p->last_validity;
    }
    report(rc, r);
}

void apex_get_sampling_port_status(apex_port_id_t id, struct apex_sampling_port_status *status,
                                   apex_return_code_t *rc)
{
    struct apex_port *p = port_of(id, PORT_SAMPLING);
    apex_return_code_t r = APEX_INVALID_PARAM;
    if (p && status) {
        status->refresh_period = p->refresh_period;
        status->max_message_size = p->max_message_size;
        status->port_direction = p->direction;
        status->last_msg_validity = p->last_validity;
        r = APEX_NO_ERROR;
    }
    report(rc, r);
}

void apex_create_queuing_port(const char *name, apex_message_size_t max_message_size,
                              uint32_t max_nb_message, apex_port_direction_t direction,
                              apex_queuing_discipline_t discipline, apex_port_id_t *id,
                              apex_return_code_t *rc)
{
    const struct port_request req = { PORT_QUEUING, max_nb_message, 0 };
    int valid = max_nb_message != 0 && max_nb_message <= SHM_MAX_DEPTH
             && (discipline == APEX_FIFO || discipline == APEX_PRIORITY);
    report(rc, create_port(name, max_message_size, direction, valid, &req, id));
}

/* APEX time-out to shmcomm time-out; negative other than INFINITE is bad. */
static int timeout_ns(apex_system_time_t t, uint64_t *out)
{
    if (t == APEX_INFINITE_TIME_VALUE) {
        *out = SHMCOMM_FOREVER;
        return 1;
    }
    if (t < 0)
        return 0;
    *out = (uint64_t)t;
    return 1;
}

void apex_send_queuing_message(apex_port_id_t id, const void *message, apex_message_size_t length,
                               apex_system_time_t timeout, apex_return_code_t *rc)
{
    uint64_t t = 0;
    report(rc, timeout_ns(timeout, &t) ? send_on(port_of(id, PORT_QUEUING), message, length, t)
                                       : APEX_INVALID_PARAM);
}

void apex_receive_queuing_message(apex_port_id_t id, apex_system_time_t timeout, void *message,
                                  apex_message_size_t *length, apex_return_code_t *rc)
{
    uint64_t t = 0;
    int timeout_ok = timeout_ns(timeout, &t);
    if (length)
        *length = 0;
    report(rc, receive_on(port_of(id, PORT_QUEUING), message, length, timeout_ok, t, 0));
}

void apex_get_queuing_port_status(apex_port_id_t id, struct apex_queuing_port_status *status,
                                  apex_return_code_t *rc)
{
    struct apex_port *p = port_of(id, PORT_QUEUING);
    apex_return_code_t r = APEX_INVALID_PARAM;
    if (p && status) {
        int n = shmcomm_pending(p->ch);
        status->nb_message = n > 0 ? (uint32_t)n : 0;
        status->max_nb_message = p->max_nb_message;
        status->max_message_size = p->max_message_size;
        status->port_direction = p->direction;
        status->waiting_processes = 0;
        r = n >= 0 ? APEX_NO_ERROR : from_shmcomm(p, n);
    }
    report(rc, r);
}

int apex_port_last_error(apex_port_id_t id)
{
    if (id < 1 || id > APEX_MAX_PORTS || ports[id - 1].kind == PORT_FREE)
        return SHMCOMM_ERR_BADCH;
    return ports[id - 1].last_error;
}
