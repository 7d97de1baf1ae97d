/* triad.net= parsing: DHCP, static addresses, and every malformed form refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "net/net_config.h"

static void dhcp(void **state)
{
    (void)state;
    struct net_config c;
    assert_int_equal(net_config_parse("dhcp", &c), 1);
    assert_int_equal(c.mode, NET_DHCP);
}

static void static_with_gateway(void **state)
{
    (void)state;
    struct net_config c;
    assert_int_equal(net_config_parse("10.0.2.15/24,10.0.2.2", &c), 1);
    assert_int_equal(c.mode, NET_STATIC);
    assert_int_equal(c.ip, 0x0A00020F);
    assert_int_equal(c.netmask, 0xFFFFFF00);
    assert_int_equal(c.gateway, 0x0A000202);
}

static void static_without_gateway(void **state)
{
    (void)state;
    struct net_config c;
    assert_int_equal(net_config_parse("192.168.1.7/16", &c), 1);
    assert_int_equal(c.ip, 0xC0A80107);
    assert_int_equal(c.netmask, 0xFFFF0000);
    assert_int_equal(c.gateway, 0);
}

static void malformed(void **state)
{
    (void)state;
    const char *bad[] = { "", "dhcpx", "DHCP", "10.0.2.15", "10.0.2.15/", "10.0.2.15/33", "10.0.2.15/0",
                          "10.0.2/24", "10.0.2.15.1/24", "10.0.2.256/24", "10..2.15/24", "10.0.2.15/24,",
                          "10.0.2.15/24,10.0.2", "10.0.2.15/2x", "a.b.c.d/24", "10.0.2.15/024",
                          "1000.0.2.15/24" };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct net_config c = { .mode = NET_DHCP };
        assert_int_equal(net_config_parse(bad[i], &c), 0);
        assert_int_equal(c.mode, NET_OFF);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dhcp),
        cmocka_unit_test(static_with_gateway),
        cmocka_unit_test(static_without_gateway),
        cmocka_unit_test(malformed),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
