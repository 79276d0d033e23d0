/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-split.c: seeded, stratified train/validation/test split.
 *
 * Each label's rows are shuffled, then the first round(test_fraction * n)
 * go to test, the next round(valid_fraction * rest) to validation and the
 * rest to train, always leaving at least one row in train.  The random
 * numbers come from xoshiro256** seeded with splitmix64, so a split depends
 * on the seed only, not on the platform or the GLib version.
 */
#include "config.h"

#include <math.h>

#include "io/wl-split.h"

typedef struct
{
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void
rng_init (Rng     *rng,
          guint64  seed)
{
  for (guint i = 0; i < G_N_ELEMENTS (rng->s); i++)
    rng->s[i] = splitmix64 (&seed);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static guint64
rng_below (Rng     *rng,
           guint64  n)
{
  guint64 threshold = (0 - n) % n;   /* 2^64 mod n */
  guint64 x;

  do
    x = rng_next (rng);
  while (x < threshold);
  return x % n;
}

static void
shuffle (guint32 *items,
         gsize    n,
         Rng     *rng)
{
  for (gsize i = n; i > 1; i--)
    {
      gsize j = rng_below (rng, i);
      guint32 tmp = items[i - 1];

      items[i - 1] = items[j];
      items[j] = tmp;
    }
}

static gsize
part_size (double fraction,
           gsize  n)
{
  gsize size = (gsize) round (fraction * (double) n);

  /* Keep one row for train. */
  return n == 0 ? 0 : MIN (size, n - 1);
}

WlSplit *
wl_split_stratified (const guint32 *labels,
                     gsize          n_rows,
                     guint          n_labels,
                     double         test_fraction,
                     double         valid_fraction,
                     guint64        seed)
{
  g_autofree gsize *starts = NULL;
  g_autofree guint32 *order = NULL;
  guint n_groups = labels != NULL ? n_labels : 1;
  WlSplit *split;
  Rng rng;

  g_return_val_if_fail (labels != NULL || n_labels <= 1, NULL);
  g_return_val_if_fail (n_rows == 0 || n_groups > 0, NULL);
  g_return_val_if_fail (n_rows <= G_MAXUINT32, NULL);
  g_return_val_if_fail (test_fraction >= 0.0 && test_fraction < 1.0, NULL);
  g_return_val_if_fail (valid_fraction >= 0.0 && valid_fraction < 1.0, NULL);

  /* Rows grouped by label, in row order: starts[g] .. starts[g + 1]. */
  starts = g_new0 (gsize, n_groups + 2);
  for (gsize i = 0; i < n_rows; i++)
    {
      guint32 label = labels != NULL ? labels[i] : 0;

      if (label >= n_groups)
        {
          g_critical ("%s: row %" G_GSIZE_FORMAT " has label %u, not below n_labels %u",
                      G_STRFUNC, i, label, n_labels);
          return NULL;
        }
      starts[label + 2]++;
    }
  for (guint g = 2; g < n_groups + 2; g++)
    starts[g] += starts[g - 1];
  order = g_new (guint32, MAX (n_rows, 1));
  for (gsize i = 0; i < n_rows; i++)
    order[starts[(labels != NULL ? labels[i] : 0) + 1]++] = (guint32) i;

  split = g_new0 (WlSplit, 1);
  split->train = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_rows);
  split->valid = g_array_new (FALSE, FALSE, sizeof (guint32));
  split->test = g_array_new (FALSE, FALSE, sizeof (guint32));

  rng_init (&rng, seed);
  for (guint g = 0; g < n_groups; g++)
    {
      guint32 *rows = order + starts[g];
      gsize n = starts[g + 1] - starts[g];
      gsize n_test = part_size (test_fraction, n);
      gsize n_valid = part_size (valid_fraction, n - n_test);

      shuffle (rows, n, &rng);
      g_array_append_vals (split->test, rows, n_test);
      g_array_append_vals (split->valid, rows + n_test, n_valid);
      g_array_append_vals (split->train, rows + n_test + n_valid, n - n_test - n_valid);
    }

  shuffle ((guint32 *) (gpointer) split->train->data, split->train->len, &rng);
  shuffle ((guint32 *) (gpointer) split->valid->data, split->valid->len, &rng);
  shuffle ((guint32 *) (gpointer) split->test->data, split->test->len, &rng);
  return split;
}

void
wl_split_free (WlSplit *split)
{
  if (split == NULL)
    return;
  g_array_unref (split->train);
  g_array_unref (split->valid);
  g_array_unref (split->test);
  g_free (split);
}
