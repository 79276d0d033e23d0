/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-chart-ticks.h: round tick steps and tick labels for the charts.
 *
 * Pure functions, no widgets: a step of 1, 2 or 5 times a power of ten
 * (or a round duration: 15 s, 1 min, 30 min, 2 h…) so that a range gets
 * at most a given number of ticks, and labels that show just the digits
 * the step needs ("0.25", "40k", "1e-4", "1:30", "2h 30m").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The smallest round step that cuts @range into at most @max_ticks
 * parts; with @time, a round duration in seconds from 1 s up. */
double  wl_chart_nice_step     (double   range,
                                guint    max_ticks,
                                gboolean time);

/* Widens [*min, *max] to multiples of a round step for @max_ticks ticks
 * and returns that step.  An empty range is widened around its value. */
double  wl_chart_nice_range    (double  *min,
                                double  *max,
                                guint    max_ticks);

/* Fits a y axis to values from *@min to *@max that can never leave
 * [@lower, @upper] (0 and 100 for percentages; -INFINITY and INFINITY for
 * no limit): widens the range to round ticks for @max_ticks, and returns
 * the step, without passing the limits.  A nearly flat line (a constant
 * learning rate) sits halfway up a range from zero rather than on digits
 * of noise; two percentages that nearly overlap stay on a 0–100 axis. */
double  wl_chart_fit_range     (double  *min,
                                double  *max,
                                double   lower,
                                double   upper,
                                guint    max_ticks);

/* A tick label for @value on an axis with ticks every @step whose
 * largest value in size is @magnitude (tiny axes share one exponent:
 * "0.5e-5", "1.0e-5"). */
char   *wl_chart_format_tick   (double   value,
                                double   step,
                                double   magnitude);
/* A tick label for @seconds on a time axis with ticks every @step that
 * ends at @axis_max: "45s", "12:30" (under an hour), "1h 05m". */
char   *wl_chart_format_time   (double   seconds,
                                double   step,
                                double   axis_max);
/* A value read under the pointer: four significant digits, "123k". */
char   *wl_chart_format_reading (double  value);

G_END_DECLS
