/*
 * The address configuration from the boot word `triad.net=`:
 *   dhcp                       ask the network (QEMU's user network answers)
 *   A.B.C.D/P[,G.H.I.J]        static address, prefix length, optional gateway
 * Pure functions, host-tested (tests/unit/net/test_net_config.c).
 */
#ifndef TRIAD_NET_CONFIG_H
#define TRIAD_NET_CONFIG_H
#include <stdint.h>

enum net_mode { NET_OFF = 0, NET_DHCP, NET_STATIC };

struct net_config {
    enum net_mode mode;
    uint32_t ip, netmask, gateway;  /* host order */
};

/* Parses a dotted quad that makes up the whole of s[0..len): 1 ok, 0 malformed. */
int net_parse_ipv4(const char *s, unsigned len, uint32_t *out);
/* 1 ok (config filled), 0 malformed (config left NET_OFF). */
int net_config_parse(const char *value, struct net_config *config);
#endif
