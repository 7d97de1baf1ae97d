#include "net_config.h"

int net_parse_ipv4(const char *s, unsigned len, uint32_t *out)
{
    uint32_t ip = 0, part = 0;
    unsigned parts = 0, digits = 0;
    for (unsigned i = 0; i <= len; i++) {
        char c = i < len ? s[i] : '.';
        if (c >= '0' && c <= '9') {
            part = part * 10 + (uint32_t)(c - '0');
            if (++digits > 3 || part > 255)
                return 0;
        } else if (c == '.') {
            if (digits == 0 || ++parts > 4)
                return 0;
            ip = ip << 8 | part;
            part = 0;
            digits = 0;
        } else {
            return 0;
        }
    }
    if (parts != 4)
        return 0;
    *out = ip;
    return 1;
}

static unsigned length(const char *s)
{
    unsigned n = 0;
    while (s[n] && n < 64)
        n++;
    return n;
}

int net_config_parse(const char *value, struct net_config *config)
{
    config->mode = NET_OFF;
    config->ip = config->netmask = config->gateway = 0;
    unsigned n = length(value);
    if (n == 4 && value[0] == 'd' && value[1] == 'h' && value[2] == 'c' && value[3] == 'p') {
        config->mode = NET_DHCP;
        return 1;
    }
    unsigned slash = 0, comma = n;
    while (slash < n && value[slash] != '/')
        slash++;
    for (unsigned i = slash; i < n; i++)
        if (value[i] == ',') {
            comma = i;
            break;
        }
    if (slash >= n || slash + 1 >= comma)
        return 0;
    uint32_t ip, gw = 0, prefix = 0;
    if (!net_parse_ipv4(value, slash, &ip))
        return 0;
    for (unsigned i = slash + 1; i < comma; i++) {
        if (value[i] < '0' || value[i] > '9' || comma - slash - 1 > 2)
            return 0;
        prefix = prefix * 10 + (uint32_t)(value[i] - '0');
    }
    if (prefix < 1 || prefix > 30)
        return 0;
    if (comma < n && !net_parse_ipv4(value + comma + 1, n - comma - 1, &gw))
        return 0;
    config->mode = NET_STATIC;
    config->ip = ip;
    config->netmask = 0xFFFFFFFFu << (32 - prefix);
    config->gateway = gw;
    return 1;
}
