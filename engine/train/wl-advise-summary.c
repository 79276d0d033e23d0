/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-advise-summary.c: the advice in words and numbers: the pick, its
 * projected time and range, the best of the other kind of device, the
 * batch size set when the pick is another, and preprocessing's share. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "train/wl-advise-private.h"

/* The duration @s as "41 s", "3 min 10 s" or "2 h 05 min". */
static char *
format_duration (double s)
{
  if (s < 9.5)
    return g_strdup_printf (_("%.1f s"), s);
  if (s < 59.5)
    return g_strdup_printf (_("%.0f s"), s);
  if (s < 3599.5)
    return g_strdup_printf (_("%d min %02d s"), (int) (s + 0.5) / 60, (int) (s + 0.5) % 60);
  return g_strdup_printf (_("%d h %02d min"), (int) (s + 30) / 3600, (int) (s + 30) % 3600 / 60);
}

/* The candidate in words; its batch size when not the config's. */
static char *
describe_candidate (const WlAdvice          *a,
                    const WlAdviseCandidate *c)
{
  g_autofree char *where = NULL;

  if (g_str_equal (c->device, "cpu"))
    where = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "the CPU with %u thread",
                                          "the CPU with %u threads", c->threads), c->threads);
  else
    /* Translators: "OpenCL on pthread-Intel Xeon (fp16)" */
    where = g_strdup_printf (_("OpenCL on %s (%s)"), c->device_name,
                             wl_precision_to_string (c->precision));
  if (c->batch_size == a->batch_size)
    return g_steal_pointer (&where);
  /* Translators: "the CPU with 2 threads in batches of 128" */
  return g_strdup_printf (_("%s in batches of %u"), where, c->batch_size);
}

char *
wl_advise_summarize (const WlAdvice *a)
{
  const WlAdviseCandidate *pick = wl_advice_get_pick (a);
  const WlAdviseCandidate *other = NULL, *as_set = NULL;
  g_autofree char *pick_name = describe_candidate (a, pick);
  g_autofree char *total = format_duration (pick->total);
  g_autofree char *low = format_duration (pick->total_low);
  g_autofree char *high = format_duration (pick->total_high);
  GString *text = g_string_new (NULL);
  double prep_share = (pick->load + pick->preprocess) / MAX (pick->total, 1e-9);

  /* The best of the other kind of device, to compare with. */
  for (guint i = 0; i < a->candidates->len; i++)
    {
      const WlAdviseCandidate *c = g_ptr_array_index (a->candidates, i);

      if (c->failure != NULL || c == pick)
        continue;
      if (g_str_equal (c->device, "cpu") != g_str_equal (pick->device, "cpu") &&
          (other == NULL || c->total < other->total))
        other = c;
      if (c->batch_size == a->batch_size && (as_set == NULL || c->total < as_set->total))
        as_set = c;
    }
  /* Translators: "Use the CPU with 2 threads: about 41 s (from 30 s to 55 s)." */
  g_string_append_printf (text, _("Use %s: about %s (from %s to %s)."), pick_name, total, low, high);
  if (other != NULL)
    {
      g_autofree char *other_name = describe_candidate (a, other);
      g_autofree char *other_total = format_duration (other->total);

      /* Translators: " OpenCL on pocl (fp32): 2 min 10 s, 3.2 times as long." */
      g_string_append_printf (text, _(" %s: %s, %.1f times as long."), other_name, other_total,
                              other->total / MAX (pick->total, 1e-9));
      if (g_str_equal (pick->device, "cpu") &&
          other->measure.train_seconds > pick->measure.train_seconds)
        g_string_append_printf (text, _(" A training step takes %.2g ms per text there against "
                                        "%.2g ms here: this model is too small for that device, "
                                        "whose launches and transfers outweigh its arithmetic."),
                                other->measure.train_seconds * 1e3,
                                pick->measure.train_seconds * 1e3);
    }
  if (pick->batch_size != a->batch_size && as_set != NULL)
    {
      g_autofree char *as_set_total = format_duration (as_set->total);

      /* Translators: " In batches of 32, as set: 1 min 10 s. Batches 4 times as large take 4
       * times fewer steps an epoch, which can change the accuracy…" */
      g_string_append_printf (text, _(" In batches of %u, as set: %s. Batches %u times as large "
                                      "take that many times fewer steps an epoch, which can "
                                      "change the accuracy the same epochs reach: compare the "
                                      "validation metric, or keep batches of %u for the same "
                                      "model."),
                              a->batch_size, as_set_total, pick->batch_size / a->batch_size,
                              a->batch_size);
    }
  g_string_append_printf (text, _(" Loading and preprocessing are %.0f %% of the run"),
                          100.0 * prep_share);
  if (prep_share >= 0.2)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               ": give it %u thread.",
                                               ": give it %u threads.", pick->threads),
                            pick->threads);
  else
    g_string_append (text, ".");
  return g_string_free (text, FALSE);
}
