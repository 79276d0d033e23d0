/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dataset-shard.c: one process's byte range of a file (see
 * wl-dataset-shard.h).  A range read from a guessed start remembers, for
 * its first rows, where each ended and the counts so far (its marks):
 * the previous range's boundary is one of those ends when the guess met
 * the true records, and the rows and counts before it are dropped. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "wl-error.h"
#include "io/wl-dataset-private.h"
#include "io/wl-dataset-shard.h"

#define MAX_MARKS   4096      /* rows of a guessed start where the boundary is looked for */
#define CHECK_EVERY 1024      /* rows between cancellation checks */
#define BOUNDARY_TYPE "(tta(aayb))"
#define PART_TYPE     "(asauatas(tttttttt)atatbi)"

/* Where a row ended and the counts after it. */
typedef struct
{
  guint64 end, line;
  gsize   n_rows;
  guint64 rows_read, blank_lines, bad_rows, empty_texts, empty_labels, repaired_utf8,
          loose_quotes, quote_text_rows, quote_decisions;
} Mark;

struct _WlDatasetShard
{
  char                *path;
  const WlLoadOptions *options;
  GCancellable        *cancellable;
  GVariant            *layout;
  WlCsvReader         *reader;
  WlDataset           *dataset;
  WlDatasetLoader      loader;
  guint64              end;          /* of the range */
  gboolean             guessed;      /* rows from a guessed start, not joined yet */
  gboolean             stopped;      /* the guessed reading stopped at a label it cannot read */
  GArray              *marks;        /* Mark: the guessed start, then each of the first rows */
  Mark                 base;         /* the counts of the rows dropped */
  gint64               line_shift;   /* from the lines counted from a guessed start */
  GVariant            *pass_on;      /* the previous boundary, when it is past this range */
  guint64              bytes_done;   /* by readers replaced */
  gboolean             needs_exact;
};

static Mark
mark_now (const WlDatasetShard *shard)
{
  const WlCsvCounts *counts = wl_csv_reader_get_counts (shard->reader);

  return (Mark) {
    .end = wl_csv_reader_get_position (shard->reader),
    .line = wl_csv_reader_get_line (shard->reader),
    .n_rows = shard->dataset->n_rows,
    .rows_read = counts->rows,
    .blank_lines = counts->blank_lines,
    .bad_rows = counts->bad_rows,
    .empty_texts = shard->dataset->stats.empty_texts,
    .empty_labels = shard->dataset->stats.empty_labels,
    .repaired_utf8 = counts->repaired_utf8,
    .loose_quotes = counts->loose_quotes,
    .quote_text_rows = counts->quote_text_rows,
    .quote_decisions = wl_csv_reader_get_quote_decisions (shard->reader),
  };
}

/* A new reader and an empty dataset (the previous ones dropped). */
static gboolean
start (WlDatasetShard  *shard,
       WlCsvReader     *reader,
       GError         **error)
{
  if (shard->reader != NULL)
    shard->bytes_done += wl_csv_reader_get_bytes_read (shard->reader);
  g_clear_pointer (&shard->reader, wl_csv_reader_free);
  g_clear_pointer (&shard->dataset, wl_dataset_free);
  shard->reader = reader;
  if ((shard->dataset = wl_dataset_new_for_reader (reader, shard->options, error)) == NULL)
    return FALSE;
  shard->loader.dataset = shard->dataset;
  shard->loader.lines_alloc = 0;
  shard->base = (Mark) { 0 };
  shard->line_shift = 0;
  return TRUE;
}

static WlDatasetShard *
shard_new (const char          *path,
           const WlLoadOptions *options,
           guint64              end,
           GCancellable        *cancellable)
{
  WlDatasetShard *shard = g_new0 (WlDatasetShard, 1);

  shard->path = g_strdup (path);
  shard->options = options;
  shard->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  shard->end = end;
  shard->loader.joined = g_string_new (NULL);
  shard->loader.label = g_string_new (NULL);
  shard->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  return shard;
}

WlDatasetShard *
wl_dataset_shard_open_first (const char           *path,
                             const WlLoadOptions  *options,
                             guint64               end,
                             GCancellable         *cancellable,
                             GError              **error)
{
  g_autoptr(WlDatasetShard) shard = NULL;
  WlCsvOptions csv = {
    .separator = options->separator,
    .quotes = options->quotes,
    .encoding = options->encoding,
    .header = options->header,
    .skip_bad_rows = options->skip_bad_rows,
    .raw_positions = TRUE,
  };
  WlCsvReader *reader;

  g_return_val_if_fail (path != NULL && options != NULL, NULL);
  g_return_val_if_fail (!options->texts_on_disk, NULL);

  shard = shard_new (path, options, end, cancellable);
  if ((reader = wl_csv_reader_new (path, &csv, cancellable, error)) == NULL ||
      !start (shard, reader, error))
    return NULL;
  shard->layout = wl_csv_reader_get_layout (reader);
  return g_steal_pointer (&shard);
}

GVariant *
wl_dataset_shard_get_layout (WlDatasetShard *shard)
{
  g_return_val_if_fail (shard != NULL, NULL);
  return wl_csv_reader_layout_reads_in_ranges (shard->layout) ? shard->layout : NULL;
}

WlDatasetShard *
wl_dataset_shard_open (const char           *path,
                       const WlLoadOptions  *options,
                       GVariant             *layout,
                       guint64               range_start,
                       guint64               end,
                       GCancellable         *cancellable,
                       GError              **error)
{
  g_autoptr(WlDatasetShard) shard = NULL;
  WlCsvReader *reader;
  Mark mark;

  g_return_val_if_fail (path != NULL && options != NULL && layout != NULL, NULL);
  g_return_val_if_fail (range_start > 0 && !options->texts_on_disk, NULL);

  shard = shard_new (path, options, end, cancellable);
  shard->layout = g_variant_ref (layout);
  /* Bad rows are skipped while guessing: those before the boundary are
   * not rows at all. */
  if ((reader = wl_csv_reader_new_like (path, layout, TRUE, cancellable, error)) == NULL ||
      !start (shard, reader, error) ||
      !wl_csv_reader_start_after (reader, range_start, error))
    return NULL;
  shard->guessed = TRUE;
  mark = mark_now (shard);
  g_array_append_val (shard->marks, mark);
  return g_steal_pointer (&shard);
}

void
wl_dataset_shard_free (WlDatasetShard *shard)
{
  if (shard == NULL)
    return;
  g_free (shard->path);
  g_clear_object (&shard->cancellable);
  g_clear_pointer (&shard->layout, g_variant_unref);
  g_clear_pointer (&shard->reader, wl_csv_reader_free);
  g_clear_pointer (&shard->dataset, wl_dataset_free);
  g_string_free (shard->loader.joined, TRUE);
  g_string_free (shard->loader.label, TRUE);
  g_array_unref (shard->marks);
  g_clear_pointer (&shard->pass_on, g_variant_unref);
  g_free (shard);
}

gboolean
wl_dataset_shard_read (WlDatasetShard  *shard,
                       GError         **error)
{
  GError *local = NULL;
  guint64 n = 0;
  WlCsvRow row;

  g_return_val_if_fail (shard != NULL, FALSE);

  while (wl_csv_reader_get_position (shard->reader) < shard->end)
    {
      if (!wl_csv_reader_next_row (shard->reader, &row, &local) ||
          !wl_dataset_check_label_bytes (shard->dataset, shard->reader, &row, shard->options,
                                         &local) ||
          !wl_dataset_add_row (&shard->loader, &row, &local))
        break;
      if (shard->guessed && shard->marks->len < MAX_MARKS)
        {
          Mark mark = mark_now (shard);

          g_array_append_val (shard->marks, mark);
        }
      if (++n % CHECK_EVERY == 0 && g_cancellable_is_cancelled (shard->cancellable))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_CANCELLED, _("Reading “%s” was cancelled"),
                       wl_csv_reader_get_display_name (shard->reader));
          return FALSE;
        }
    }
  if (local != NULL && shard->guessed && g_error_matches (local, WL_ERROR, WL_ERROR_ENCODING))
    {
      /* Perhaps not a label at all: decided when the boundary is known. */
      g_error_free (local);
      shard->stopped = TRUE;
      return TRUE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

GVariant *
wl_dataset_shard_get_boundary (WlDatasetShard *shard)
{
  g_autoptr(GVariant) known = NULL;

  g_return_val_if_fail (shard != NULL, NULL);

  if (shard->pass_on != NULL)
    return g_variant_ref (shard->pass_on);
  known = wl_csv_reader_get_known_values (shard->reader);
  return g_variant_ref_sink (g_variant_new ("(tt@a(aayb))",
                                            wl_csv_reader_get_position (shard->reader),
                                            wl_csv_reader_get_line (shard->reader) + shard->line_shift,
                                            known));
}

/* Reads the range again from @offset, after a record that ended there
 * (line @line next), with the values seen before it @known. */
static gboolean
read_again (WlDatasetShard  *shard,
            guint64          offset,
            guint64          line,
            GVariant        *known,
            gboolean         skip_bad_rows,
            GError         **error)
{
  WlCsvReader *reader = wl_csv_reader_new_like (shard->path, shard->layout, skip_bad_rows,
                                                shard->cancellable, error);

  shard->guessed = FALSE;
  g_array_set_size (shard->marks, 0);
  if (reader == NULL || !start (shard, reader, error))
    return FALSE;
  wl_csv_reader_set_known_values (reader, known);
  return wl_csv_reader_resume (reader, offset, line, error) && wl_dataset_shard_read (shard, error);
}

/* Drops the rows before mark @k, where the next line is @line, and
 * counts from there. */
static void
keep_after (WlDatasetShard *shard,
            guint           k,
            guint64         line)
{
  const Mark mark = g_array_index (shard->marks, Mark, k);
  WlDataset *dataset = shard->dataset;
  Mark now = mark_now (shard);

  g_ptr_array_remove_range (dataset->texts, 0, mark.n_rows);
  if (dataset->labels->len > 0)
    g_array_remove_range (dataset->labels, 0, mark.n_rows);
  dataset->n_rows -= mark.n_rows;
  shard->line_shift = (gint64) line - (gint64) mark.line;
  for (gsize i = 0; i < dataset->n_rows; i++)
    dataset->lines[i] = dataset->lines[i + mark.n_rows] + shard->line_shift;
  shard->base = mark;
  g_array_set_size (shard->marks, 0);
  shard->guessed = FALSE;
  shard->needs_exact = now.bad_rows > mark.bad_rows ||
                       now.quote_text_rows > mark.quote_text_rows ||
                       now.quote_decisions > mark.quote_decisions;
}

gboolean
wl_dataset_shard_join (WlDatasetShard  *shard,
                       GVariant        *boundary,
                       gboolean         exact,
                       GError         **error)
{
  g_autoptr(GVariant) known = NULL;
  gboolean stopped;
  guint64 offset, line;
  WlCsvReader *reader;

  g_return_val_if_fail (shard != NULL, FALSE);
  g_return_val_if_fail (g_variant_is_of_type (boundary, G_VARIANT_TYPE (BOUNDARY_TYPE)), FALSE);

  g_variant_get (boundary, "(tt@a(aayb))", &offset, &line, &known);
  stopped = shard->stopped;
  shard->stopped = shard->needs_exact = FALSE;
  g_clear_pointer (&shard->pass_on, g_variant_unref);
  if (offset >= shard->end)
    {
      /* The previous range's last record runs past this one: no rows here. */
      shard->pass_on = g_variant_ref (boundary);
      g_array_set_size (shard->marks, 0);
      shard->guessed = FALSE;
      reader = wl_csv_reader_new_like (shard->path, shard->layout, TRUE, shard->cancellable, error);
      return reader != NULL && start (shard, reader, error);
    }
  if (exact)
    return read_again (shard, offset, line, known, shard->options->skip_bad_rows, error);
  for (guint k = 0; shard->guessed && k < shard->marks->len; k++)
    if (g_array_index (shard->marks, Mark, k).end == offset)
      {
        keep_after (shard, k, line);
        shard->needs_exact |= stopped;
        return TRUE;
      }
  /* The guess never met the previous range's end: read from there (bad
   * rows skipped, as the values seen may not be exact yet). */
  if (!read_again (shard, offset, line, known, TRUE, error))
    return FALSE;
  shard->needs_exact = wl_csv_reader_get_counts (shard->reader)->bad_rows > 0 ||
                       wl_csv_reader_get_quote_decisions (shard->reader) > 0;
  return TRUE;
}

gboolean
wl_dataset_shard_needs_exact (const WlDatasetShard *shard)
{
  g_return_val_if_fail (shard != NULL, TRUE);
  return shard->needs_exact;
}

gboolean
wl_dataset_shard_kept_encoding (const WlDatasetShard *shard)
{
  g_return_val_if_fail (shard != NULL, FALSE);
  return g_strcmp0 (wl_csv_reader_get_encoding (shard->reader),
                    wl_csv_reader_layout_get_encoding (shard->layout)) == 0;
}

guint64
wl_dataset_shard_get_bytes_read (const WlDatasetShard *shard)
{
  g_return_val_if_fail (shard != NULL, 0);
  return shard->bytes_done + wl_csv_reader_get_bytes_read (shard->reader);
}

static GVariant *
lines_variant (const guint64 *lines,
               guint          n,
               guint64        total)
{
  /* Lines of rows before the boundary are not in the counts: none then. */
  return g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, lines, total > 0 ? n : 0,
                                    sizeof (guint64));
}

GVariant *
wl_dataset_shard_serialize (WlDatasetShard *shard)
{
  WlDataset *dataset;
  g_autofree guint32 *map = NULL;
  g_autofree guint32 *labels = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const WlCsvCounts *counts;
  const Mark *base;
  gsize n_labels;

  g_return_val_if_fail (shard != NULL, NULL);

  dataset = shard->dataset;
  counts = wl_csv_reader_get_counts (shard->reader);
  base = &shard->base;
  /* Labels numbered in the order this range first saw them. */
  n_labels = dataset->label_names->len;
  map = g_new (guint32, n_labels + 1);
  memset (map, 0xff, (n_labels + 1) * sizeof (guint32));
  labels = g_new (guint32, dataset->labels->len + 1);
  for (guint i = 0; i < dataset->labels->len; i++)
    {
      guint32 id = g_array_index (dataset->labels, guint32, i);

      if (map[id] == G_MAXUINT32)
        {
          map[id] = names->len;
          g_ptr_array_add (names, g_ptr_array_index (dataset->label_names, id));
        }
      labels[i] = map[id];
    }
  g_ptr_array_add (names, NULL);
  return g_variant_ref_sink (g_variant_new (
    "(@as@au@at@as(tttttttt)@at@atbi)",
    g_variant_new_strv ((const char * const *) dataset->texts->pdata, dataset->n_rows),
    g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, labels, dataset->labels->len,
                               sizeof (guint32)),
    g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, dataset->lines, dataset->n_rows,
                               sizeof (guint64)),
    g_variant_new_strv ((const char * const *) names->pdata, -1),
    counts->rows - base->rows_read, counts->blank_lines - base->blank_lines,
    counts->bad_rows - base->bad_rows, dataset->stats.empty_texts - base->empty_texts,
    dataset->stats.empty_labels - base->empty_labels,
    counts->repaired_utf8 - base->repaired_utf8, counts->loose_quotes - base->loose_quotes,
    counts->quote_text_rows - base->quote_text_rows,
    lines_variant (counts->bad_row_lines, counts->n_bad_row_lines,
                   counts->bad_rows - base->bad_rows),
    lines_variant (counts->quote_text_lines, counts->n_quote_text_lines,
                   counts->quote_text_rows - base->quote_text_rows),
    wl_csv_reader_get_had_bom (shard->reader),
    wl_csv_reader_get_encoding_confidence (shard->reader)));
}

static void
append_lines (guint64  *lines,
              guint    *n_lines,
              GVariant *more)
{
  gsize n;
  const guint64 *line = g_variant_get_fixed_array (more, &n, sizeof (guint64));

  for (gsize i = 0; i < n && *n_lines < WL_DATASET_MAX_REPORTED_LINES; i++)
    lines[(*n_lines)++] = line[i];
}

WlDataset *
wl_dataset_shard_join_all (WlDatasetShard     *shard,
                           GVariant * const   *parts,
                           guint               n_parts,
                           GError            **error)
{
  g_autoptr(WlDataset) dataset = NULL;
  WlLoadStats *stats;
  gsize n_rows = 0;

  g_return_val_if_fail (shard != NULL && parts != NULL && n_parts > 0, NULL);

  if ((dataset = wl_dataset_new_for_reader (shard->reader, shard->options, error)) == NULL)
    return NULL;
  wl_dataset_copy_reader_stats (dataset, shard->reader);
  stats = &dataset->stats;
  stats->rows_read = stats->blank_lines = stats->bad_rows = stats->repaired_utf8 = 0;
  stats->loose_quotes = stats->quote_text_rows = 0;
  stats->n_bad_row_lines = stats->n_quote_text_lines = 0;
  for (guint p = 0; p < n_parts; p++)
    {
      g_autoptr(GVariant) texts = g_variant_get_child_value (parts[p], 0);

      n_rows += g_variant_n_children (texts);
    }
  dataset->lines = g_new (guint64, MAX (n_rows, 1));
  for (guint p = 0; p < n_parts; p++)
    {
      g_autofree const char **texts = NULL;
      g_autofree const char **names = NULL;
      g_autoptr(GVariant) labels = NULL, lines = NULL, bad_lines = NULL, quote_lines = NULL;
      g_autofree guint32 *ids = NULL;
      const guint32 *label;
      const guint64 *line;
      guint64 counts[8];
      gsize n, n_labels, n_names;
      gboolean had_bom;
      int confidence;

      g_variant_get (parts[p], "(^a&s@au@at^a&s(tttttttt)@at@atbi)", &texts, &labels, &lines,
                     &names, &counts[0], &counts[1], &counts[2], &counts[3], &counts[4],
                     &counts[5], &counts[6], &counts[7], &bad_lines, &quote_lines, &had_bom,
                     &confidence);
      label = g_variant_get_fixed_array (labels, &n_labels, sizeof (guint32));
      line = g_variant_get_fixed_array (lines, &n, sizeof (guint64));
      n_names = g_strv_length ((char **) names);
      ids = g_new (guint32, n_names + 1);
      for (gsize i = 0; i < n_names; i++)
        ids[i] = wl_dataset_label_id (dataset, names[i]);
      for (gsize i = 0; i < n; i++)
        {
          g_ptr_array_add (dataset->texts, g_string_chunk_insert (dataset->chunk, texts[i]));
          dataset->lines[dataset->n_rows++] = line[i];
          if (i < n_labels && label[i] < n_names)
            g_array_append_val (dataset->labels, ids[label[i]]);
        }
      stats->rows_read += counts[0];
      stats->blank_lines += counts[1];
      stats->bad_rows += counts[2];
      stats->empty_texts += counts[3];
      stats->empty_labels += counts[4];
      stats->repaired_utf8 += counts[5];
      stats->loose_quotes += counts[6];
      stats->quote_text_rows += counts[7];
      append_lines (stats->bad_row_lines, &stats->n_bad_row_lines, bad_lines);
      append_lines (stats->quote_text_lines, &stats->n_quote_text_lines, quote_lines);
      if (p == 0)
        {
          stats->had_bom = had_bom;
          stats->encoding_confidence = confidence;
        }
    }
  stats->rows_kept = dataset->n_rows;
  if (dataset->n_rows == 0)
    {
      wl_dataset_set_no_rows_error (dataset, wl_csv_reader_get_display_name (shard->reader), error);
      return NULL;
    }
  return g_steal_pointer (&dataset);
}
