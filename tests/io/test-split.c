/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-split.c: the seeded, stratified train/validation/test split. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "io/wl-split.h"

#define N_LABELS 5

/* 1000 rows: label 0 ×500, 1 ×300, 2 ×150, 3 ×49, 4 ×1, interleaved. */
static guint32 *
make_labels (gsize *n_rows)
{
  static const guint sizes[N_LABELS] = { 500, 300, 150, 49, 1 };
  guint left[N_LABELS];
  guint32 *labels = g_new (guint32, 1000);
  gsize n = 0;

  memcpy (left, sizes, sizeof left);
  while (n < 1000)
    for (guint l = 0; l < N_LABELS; l++)
      if (left[l] > 0)
        {
          labels[n++] = l;
          left[l]--;
        }
  *n_rows = n;
  return labels;
}

static guint
count_label (GArray        *part,
             const guint32 *labels,
             guint32        label)
{
  guint count = 0;

  for (guint i = 0; i < part->len; i++)
    count += labels[g_array_index (part, guint32, i)] == label;
  return count;
}

static gboolean
parts_equal (GArray *a,
             GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (guint32)) == 0;
}

static void
test_sizes_and_strata (void)
{
  gsize n_rows;
  g_autofree guint32 *labels = make_labels (&n_rows);
  g_autoptr(WlSplit) split = wl_split_stratified (labels, n_rows, N_LABELS, 0.2, 0.1, 42);
  guint total[N_LABELS] = { 0 };

  for (gsize i = 0; i < n_rows; i++)
    total[labels[i]]++;

  for (guint l = 0; l < N_LABELS; l++)
    {
      guint test = count_label (split->test, labels, l);
      guint valid = count_label (split->valid, labels, l);
      guint train = count_label (split->train, labels, l);
      guint expected_test = MIN ((guint) round (0.2 * total[l]), total[l] - 1);
      guint expected_valid = MIN ((guint) round (0.1 * (total[l] - expected_test)),
                                  total[l] - expected_test - 1);

      g_assert_cmpuint (test, ==, expected_test);
      g_assert_cmpuint (valid, ==, expected_valid);
      g_assert_cmpuint (train, ==, total[l] - test - valid);
      g_assert_cmpuint (train, >=, 1);
    }
  /* 500: 100/40/360, 300: 60/24/216, 150: 30/12/108, 49: 10/4/35, 1: 0/0/1 */
  g_assert_cmpuint (split->test->len, ==, 200);
  g_assert_cmpuint (split->valid->len, ==, 80);
  g_assert_cmpuint (split->train->len, ==, 720);
  /* The single row of label 4 is in train. */
  g_assert_cmpuint (count_label (split->train, labels, 4), ==, 1);
}

static void
test_cover (void)
{
  gsize n_rows;
  g_autofree guint32 *labels = make_labels (&n_rows);
  g_autoptr(WlSplit) split = wl_split_stratified (labels, n_rows, N_LABELS, 0.25, 0.2, 7);
  g_autofree guint8 *seen = g_new0 (guint8, n_rows);
  GArray *parts[] = { split->train, split->valid, split->test };

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    for (guint i = 0; i < parts[p]->len; i++)
      {
        guint32 row = g_array_index (parts[p], guint32, i);

        g_assert_cmpuint (row, <, n_rows);
        g_assert_cmpuint (seen[row], ==, 0);
        seen[row] = 1;
      }
  for (gsize i = 0; i < n_rows; i++)
    g_assert_cmpuint (seen[i], ==, 1);
}

static void
test_determinism (void)
{
  gsize n_rows;
  g_autofree guint32 *labels = make_labels (&n_rows);
  g_autoptr(WlSplit) a = wl_split_stratified (labels, n_rows, N_LABELS, 0.2, 0.1, 1234);
  g_autoptr(WlSplit) b = wl_split_stratified (labels, n_rows, N_LABELS, 0.2, 0.1, 1234);
  g_autoptr(WlSplit) c = wl_split_stratified (labels, n_rows, N_LABELS, 0.2, 0.1, 1235);

  g_assert_true (parts_equal (a->train, b->train));
  g_assert_true (parts_equal (a->valid, b->valid));
  g_assert_true (parts_equal (a->test, b->test));
  g_assert_false (parts_equal (a->train, c->train));
  g_assert_false (parts_equal (a->test, c->test));
}

/* The numbers come from our own generator: a split never changes with the
 * platform or the GLib version. */
static void
test_pinned (void)
{
  static const guint32 expected_test[] = { 6, 8, 3 };
  guint32 labels[12] = { 0 };
  g_autoptr(WlSplit) split = wl_split_stratified (labels, 12, 1, 0.25, 0.0, 2024);

  g_assert_cmpuint (split->test->len, ==, G_N_ELEMENTS (expected_test));
  g_assert_cmpmem (split->test->data, split->test->len * sizeof (guint32),
                   expected_test, sizeof expected_test);
}

static void
test_interleaved (void)
{
  gsize n_rows;
  g_autofree guint32 *labels = make_labels (&n_rows);
  g_autoptr(WlSplit) split = wl_split_stratified (labels, n_rows, N_LABELS, 0.2, 0.1, 3);
  guint changes = 0;
  gboolean sorted = TRUE;

  /* Labels alternate often in train, and the rows are not in file order. */
  for (guint i = 1; i < split->train->len; i++)
    {
      guint32 prev = g_array_index (split->train, guint32, i - 1);
      guint32 row = g_array_index (split->train, guint32, i);

      changes += labels[prev] != labels[row];
      sorted &= prev < row;
    }
  g_assert_cmpuint (changes, >, split->train->len / 3);
  g_assert_false (sorted);
}

static void
test_edge_cases (void)
{
  guint32 one[1] = { 0 };
  guint32 two[2] = { 1, 1 };
  g_autoptr(WlSplit) single = wl_split_stratified (one, 1, 1, 0.5, 0.5, 1);
  g_autoptr(WlSplit) pair = wl_split_stratified (two, 2, 2, 0.5, 0.5, 1);
  g_autoptr(WlSplit) empty = wl_split_stratified (NULL, 0, 0, 0.2, 0.1, 1);
  g_autoptr(WlSplit) unlabelled = wl_split_stratified (NULL, 100, 0, 0.2, 0.0, 1);
  g_autoptr(WlSplit) no_holdout = wl_split_stratified (two, 2, 2, 0.0, 0.0, 1);

  g_assert_cmpuint (single->train->len, ==, 1);
  g_assert_cmpuint (single->valid->len + single->test->len, ==, 0);
  /* round(0.5 * 2) = 1 to test; the last row stays in train. */
  g_assert_cmpuint (pair->test->len, ==, 1);
  g_assert_cmpuint (pair->valid->len, ==, 0);
  g_assert_cmpuint (pair->train->len, ==, 1);
  g_assert_cmpuint (empty->train->len + empty->valid->len + empty->test->len, ==, 0);
  g_assert_cmpuint (unlabelled->test->len, ==, 20);
  g_assert_cmpuint (unlabelled->train->len, ==, 80);
  g_assert_cmpuint (no_holdout->train->len, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/io/split/sizes-and-strata", test_sizes_and_strata);
  g_test_add_func ("/io/split/cover", test_cover);
  g_test_add_func ("/io/split/determinism", test_determinism);
  g_test_add_func ("/io/split/pinned", test_pinned);
  g_test_add_func ("/io/split/interleaved", test_interleaved);
  g_test_add_func ("/io/split/edge-cases", test_edge_cases);

  return g_test_run ();
}
