/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-config.c: libFuzzer target for the config reader
 * (wl_config_merge_json, what --config and the model file's settings use).
 *
 * The input is the JSON.  A config it accepts must print back to JSON that
 * the reader accepts again and that prints the same (a round trip); one it
 * refuses must come with a message and leave the config as it was. */
#include "config.h"

#include "wl-config.h"
#include "wl-error.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(WlConfig) again = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = wl_config_to_json (config, FALSE);
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  if (!wl_config_merge_json (config, (const char *) data, size, &error))
    {
      g_autofree char *after = wl_config_to_json (config, FALSE);

      g_assert_true (error != NULL && error->domain == WL_ERROR && *error->message != '\0');
      g_assert_cmpstr (after, ==, before);
      return 0;
    }
  json = wl_config_to_json (config, FALSE);
  g_assert_true (wl_config_merge_json (again, json, -1, &error));
  g_assert_no_error (error);
  json_again = wl_config_to_json (again, FALSE);
  g_assert_cmpstr (json_again, ==, json);
  return 0;
}
