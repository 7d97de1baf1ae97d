/* NIC driver watchdog: the verdict on one sample (see driver_watchdog.h). */
#include "driver_watchdog.h"

void drv_wd_init(struct drv_wd *w, uint64_t stall_limit)
{
    w->stall_limit = stall_limit;
    w->last_head = 0;
    w->head_since = 0;
    w->primed = 0;
    w->was_idle = 0;
}

enum drv_wd_verdict drv_wd_step(struct drv_wd *w, const struct drv_wd_sample *s)
{
    if (!s->rx_enabled || !s->tx_enabled)
        return DRV_WD_CONFIG_LOST;
    /* An idle ring (nothing posted), a head that moved, or the first busy
       sample after an idle one (frames posted since) restart the stall
       clock; the first sample only sets the reference. */
    const int idle = s->tx_head == s->tx_tail;
    if (!w->primed || idle || w->was_idle || s->tx_head != w->last_head || s->now < w->head_since) {
        w->primed = 1;
        w->was_idle = (uint8_t)idle;
        w->last_head = s->tx_head;
        w->head_since = s->now;
        return DRV_WD_OK;
    }
    return s->now - w->head_since > w->stall_limit ? DRV_WD_TX_STALL : DRV_WD_OK;
}

const char *drv_wd_name(enum drv_wd_verdict v)
{
    static const char *const names[DRV_WD_VERDICTS] = { "ok", "config-lost", "tx-stall" };
    return (unsigned)v < DRV_WD_VERDICTS ? names[v] : "unknown";
}
