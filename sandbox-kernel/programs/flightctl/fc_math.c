/* See fc_math.h for why these exist.  The coefficients are the Taylor
 * series, used after reducing the argument to a range where the truncation
 * error is below 1e-5. */
#include "fc_math.h"

#define FC_HALF_PI 1.57079632679490f
#define FC_TWO_PI  6.28318530717959f
#define FC_QUARTER_PI 0.785398163397448f
#define FC_TAN_PI_8 0.414213562373095f

int fc_finite(float x)
{
    /* Infinity minus itself and NaN compare unequal to zero. */
    return (x - x) == 0.0f;
}

float fc_clamp(float x, float lo, float hi)
{
    if (!(x > lo))      /* also catches NaN */
        return lo;
    return x > hi ? hi : x;
}

float fc_wrap_pi(float a)
{
    if (!fc_finite(a))
        return 0.0f;
    /* Controller angles stay within a few turns, so a bounded loop is enough
     * and keeps the result identical to a single subtraction when in range. */
    for (int i = 0; i < 64 && a > FC_PI; i++)
        a -= FC_TWO_PI;
    for (int i = 0; i < 64 && a < -FC_PI; i++)
        a += FC_TWO_PI;
    if (a > FC_PI || a < -FC_PI)    /* absurd input (corrupt state): defined result */
        return 0.0f;
    return a;
}

/* sin on [-pi/2, pi/2]: odd Taylor polynomial to x^11. */
static float sin_core(float x)
{
    float x2 = x * x;
    float p = -2.50521084e-8f;                 /* -1/11! */
    p = p * x2 + 2.75573192e-6f;               /*  1/9!  */
    p = p * x2 - 1.98412698e-4f;               /* -1/7!  */
    p = p * x2 + 8.33333333e-3f;               /*  1/5!  */
    p = p * x2 - 1.66666667e-1f;               /* -1/3!  */
    return x + x * x2 * p;
}

float fc_sin(float x)
{
    x = fc_wrap_pi(x);
    if (x > FC_HALF_PI)
        x = FC_PI - x;           /* sin(pi - x) = sin x */
    else if (x < -FC_HALF_PI)
        x = -FC_PI - x;
    return sin_core(x);
}

float fc_cos(float x)
{
    return fc_sin(x + FC_HALF_PI);
}

/* atan on [-tan(pi/8), tan(pi/8)]: odd Taylor polynomial to t^13. */
static float atan_core(float t)
{
    float t2 = t * t;
    float p = 1.0f / 13.0f;
    p = p * t2 - 1.0f / 11.0f;
    p = p * t2 + 1.0f / 9.0f;
    p = p * t2 - 1.0f / 7.0f;
    p = p * t2 + 1.0f / 5.0f;
    p = p * t2 - 1.0f / 3.0f;
    return t + t * t2 * p;
}

/* atan for x >= 0. */
static float atan_pos(float x)
{
    int invert = x > 1.0f;
    if (invert)
        x = 1.0f / x;                          /* atan x = pi/2 - atan(1/x) */
    float r;
    if (x > FC_TAN_PI_8)
        r = FC_QUARTER_PI + atan_core((x - 1.0f) / (x + 1.0f));
    else
        r = atan_core(x);
    return invert ? FC_HALF_PI - r : r;
}

float fc_atan2(float y, float x)
{
    if (!fc_finite(x) || !fc_finite(y) || (x == 0.0f && y == 0.0f))
        return 0.0f;
    float ay = y < 0.0f ? -y : y;
    float ax = x < 0.0f ? -x : x;
    float a;
    if (ax >= ay)
        a = atan_pos(ay / ax);
    else
        a = FC_HALF_PI - atan_pos(ax / ay);
    if (x < 0.0f)
        a = FC_PI - a;
    return y < 0.0f ? -a : a;
}

float fc_sqrt(float x)
{
    if (!(x > 0.0f))
        return 0.0f;
    /* Built with -fno-math-errno this is the sqrtss instruction on both
     * targets; IEEE requires it to be correctly rounded. */
    return __builtin_sqrtf(x);
}
