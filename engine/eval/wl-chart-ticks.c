/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-chart-ticks.c: round tick steps and tick labels for the charts. */
#include <math.h>

#include "wl-chart-ticks.h"

static const char *si_suffixes[] = { "", "k", "M", "G", "T" };

/* Round durations, in seconds, for time axes. */
static const double time_steps[] = {
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
  3600, 7200, 10800, 21600, 43200, 86400,
};

static double
numeric_step (double raw)
{
  double magnitude = pow (10, floor (log10 (raw)));
  static const double multiples[] = { 1, 2, 5 };

  for (guint i = 0; i < G_N_ELEMENTS (multiples); i++)
    if (multiples[i] * magnitude >= raw * (1 - 1e-9))
      return multiples[i] * magnitude;
  return 10 * magnitude;
}

double
wl_chart_nice_step (double   range,
                    guint    max_ticks,
                    gboolean time)
{
  double raw;

  if (!isfinite (range) || range <= 0)
    return 1;
  raw = range / MAX (max_ticks, 1);
  if (!time || raw <= 1)
    return numeric_step (raw);
  for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
    if (time_steps[i] >= raw)
      return time_steps[i];
  return 86400 * numeric_step (raw / 86400);
}

double
wl_chart_nice_range (double *min,
                     double *max,
                     guint   max_ticks)
{
  double step;

  if (!(*max > *min))
    {
      double pad = *min != 0 ? fabs (*min) * 0.1 : 1;

      *min -= pad;
      *max += pad;
    }
  step = wl_chart_nice_step (*max - *min, max_ticks, FALSE);
  *min = floor (*min / step + 1e-9) * step;
  *max = ceil (*max / step - 1e-9) * step;
  return step;
}

double
wl_chart_fit_range (double *min,
                    double *max,
                    double  lower,
                    double  upper,
                    guint   max_ticks)
{
  double least, step;

  if (*min > *max)
    *min = MAX (lower, 0), *max = MIN (upper, 1);
  least = 1e-2 * MAX (fabs (*min), fabs (*max));
  if (*max - *min < least)
    {
      double middle = (*min + *max) / 2;

      *min = middle > 0 ? 0 : 2 * middle;
      *max = middle > 0 ? 2 * middle : 0;
      if (middle == 0)
        *min = -1, *max = 1;
    }
  *min = MAX (*min, lower);
  *max = MIN (*max, upper);
  step = wl_chart_nice_range (min, max, max_ticks);
  *min = MAX (*min, lower);
  *max = MIN (*max, upper);
  return step;
}

/* The decimals that tell ticks @step apart. */
static int
decimals_for (double step)
{
  return CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 9);
}

char *
wl_chart_format_tick (double value,
                      double step,
                      double magnitude)
{
  if (!isfinite (value) || !isfinite (step) || step <= 0)
    return g_strdup ("");
  if (fabs (value) < step * 1e-6)
    return g_strdup ("0");
  if (step >= 1000)
    {
      guint k = MIN ((guint) floor (log10 (MAX (magnitude, step)) / 3),
                     G_N_ELEMENTS (si_suffixes) - 1);
      double scale = pow (1000, k);

      return g_strdup_printf ("%.*f%s", decimals_for (step / scale), value / scale,
                              si_suffixes[k]);
    }
  if (magnitude >= 1e-3 || value == 0)
    return g_strdup_printf ("%.*f", decimals_for (step), value);

  /* Small values (learning rates): 2e-5 rather than 0.00002, with the
   * exponent of the axis on every tick. */
  {
    int exponent = (int) floor (log10 (magnitude) + 1e-9);
    double unit = pow (10, exponent);

    return g_strdup_printf ("%.*fe%d", MIN (decimals_for (step / unit), 4), value / unit,
                            exponent);
  }
}

char *
wl_chart_format_time (double seconds,
                      double step,
                      double axis_max)
{
  gint64 s;
  const char *sign = seconds < 0 ? "-" : "";

  if (!isfinite (seconds))
    return g_strdup ("");
  if (fabs (seconds) < step * 1e-6)
    seconds = 0, sign = "";
  if (step < 1)
    return g_strdup_printf ("%.*fs", decimals_for (step), seconds);

  s = llabs (llround (seconds));
  if (axis_max < 60)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT "s", sign, s);
  if (axis_max < 3600)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, sign, s / 60, s % 60);
  if (step < 60)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                            sign, s / 3600, s / 60 % 60, s % 60);
  if (s == 0)
    return g_strdup ("0");
  if (s / 60 % 60 == 0)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT "h", sign, s / 3600);
  if (s < 3600)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT "m", sign, s / 60);
  return g_strdup_printf ("%s%" G_GINT64_FORMAT "h %02" G_GINT64_FORMAT "m",
                          sign, s / 3600, s / 60 % 60);
}

char *
wl_chart_format_reading (double value)
{
  double a = fabs (value);

  if (!isfinite (value))
    return g_strdup ("—");
  if (a >= 1e4)
    {
      guint k = MIN ((guint) floor (log10 (a) / 3), G_N_ELEMENTS (si_suffixes) - 1);

      return g_strdup_printf ("%.3g%s", value / pow (1000, k), si_suffixes[k]);
    }
  return g_strdup_printf ("%.4g", value);
}
