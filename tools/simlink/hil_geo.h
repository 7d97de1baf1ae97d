/* The local frame of the simulator link and HIL_GPS's latitude/longitude:
 * world x forward (north), y left (west), z up, around a fixed home (PX4's
 * default SITL home, Zurich); a spherical Earth is plenty over metres.
 * Shared by tools/simlink (host) and hil_fc (sandbox), so both convert the
 * same way; 1e-7 degree of latitude is 1.1 cm. */
#ifndef TRIAD_HIL_GEO_H
#define TRIAD_HIL_GEO_H
#include <math.h>
#include <stdint.h>

#define HIL_HOME_LAT_E7 473977420
#define HIL_HOME_LON_E7 85455940
#define HIL_HOME_ALT_MM 488000
#define HIL_EARTH_RADIUS 6371000.0
#define HIL_PI 3.14159265358979323846     /* M_PI is not C11 */

static inline double hil_deg_per_m_lat(void) { return 180.0 / (HIL_PI * HIL_EARTH_RADIUS); }
static inline double hil_deg_per_m_lon(void)
{
    return 180.0 / (HIL_PI * HIL_EARTH_RADIUS * cos(HIL_HOME_LAT_E7 * 1e-7 * HIL_PI / 180.0));
}
/* Local x (north) and y (west) in metres to degE7. */
static inline int32_t hil_lat_e7(double x) { return HIL_HOME_LAT_E7 + (int32_t)lrint(x * hil_deg_per_m_lat() * 1e7); }
static inline int32_t hil_lon_e7(double y) { return HIL_HOME_LON_E7 - (int32_t)lrint(y * hil_deg_per_m_lon() * 1e7); }
/* And back. */
static inline double hil_x_of(int32_t lat_e7) { return (lat_e7 - HIL_HOME_LAT_E7) * 1e-7 / hil_deg_per_m_lat(); }
static inline double hil_y_of(int32_t lon_e7) { return -(lon_e7 - HIL_HOME_LON_E7) * 1e-7 / hil_deg_per_m_lon(); }
#endif
