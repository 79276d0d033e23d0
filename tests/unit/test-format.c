/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-format.c: durations and sizes as every front end writes them. */
#include <math.h>

#include "wl-format.h"

static void
check_duration (double      seconds,
                const char *expected)
{
  g_autofree char *text = wl_format_duration (seconds);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_duration (void)
{
  check_duration (0.42, "0.42 s");
  check_duration (12.46, "12.5 s");
  check_duration (59.9, "59.9 s");
  /* Rounded to a minute, not "60.0 s". */
  check_duration (59.96, "1:00");
  check_duration (275.7, "4:36");
  check_duration (343, "5:43");
  check_duration (3723, "1:02:03");
  check_duration (-1, "—");
  check_duration (INFINITY, "—");
  check_duration (NAN, "—");
}

static void
test_size (void)
{
  g_autofree char *one = wl_format_size (1);
  g_autofree char *gib = wl_format_size (G_GUINT64_CONSTANT (25234954650));

  /* IEC units, as the Resources page has always shown them (GLib puts a
   * no-break space before the unit). */
  g_assert_cmpstr (one, ==, "1 byte");
  g_assert_cmpstr (gib, ==, "23.5\u00a0GiB");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/size", test_size);
  return g_test_run ();
}
