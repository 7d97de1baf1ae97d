/* Deterministic elementary functions for the flight controller.
 *
 * The replicas must compute bit-identical results on the host (glibc) and in
 * the sandboxes (newlib).  The two C libraries' sinf/atan2f may differ in the
 * last bit, so the controller never calls them: these are fixed polynomial
 * approximations built only from +, -, *, / and comparisons, which IEEE-754
 * binary32 with round-to-nearest evaluates identically everywhere as long as
 * the compiler neither fuses (-ffp-contract=off) nor reorders (no -ffast-math)
 * the operations.  Accuracy is a few 1e-6 rad, far below sensor noise.
 */
#ifndef FC_MATH_H
#define FC_MATH_H

#define FC_PI 3.14159265358979f

float fc_sin(float x);
float fc_cos(float x);
float fc_atan2(float y, float x);
float fc_sqrt(float x);            /* IEEE sqrt: correctly rounded, so portable */
float fc_clamp(float x, float lo, float hi);   /* NaN maps to lo */
float fc_wrap_pi(float a);         /* into [-pi, pi] */
int   fc_finite(float x);
#endif
