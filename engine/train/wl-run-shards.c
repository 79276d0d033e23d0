/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-shards.c: the input file of a distributed run read in byte
 * ranges, one a rank (see io/wl-dataset-shard.h for how a range finds its
 * records).
 *
 *   rank 0 sniffs the start of the file ─► its layout to every rank
 *   every rank reads its range, from a guessed start for all but rank 0
 *   in rank order, rank r − 1's boundary to rank r, which keeps its rows
 *       from there (or reads again from there)
 *   any rank whose rows may depend on what came before ─► every range is
 *       read again from exact boundaries, in rank order
 *   every rank's rows to every rank ─► the dataset one process reads
 *
 * The trainer's epoch order is seeded over the whole train part and each
 * rank trains on its share of it (so that N ranks train as one process
 * with N times the batch), so every rank holds every row; what is divided
 * is the reading and the parsing. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>

#include "dist/wl-dist.h"
#include "io/wl-dataset-shard.h"
#include "train/wl-run-private.h"
#include "train/wl-run-shards.h"

#define BOUNDARY_TYPE G_VARIANT_TYPE ("(tta(aayb))")
#define START_TYPE    G_VARIANT_TYPE ("(tbv)")
#define PART_TYPE     G_VARIANT_TYPE ("(asauatas(tttttttt)atatbi)")

/* The bytes come from the other ranks of this job, the same program: they
 * are trusted (checking an untrusted array of a million strings costs
 * seconds). */
static GVariant *
broadcast_variant (GVariant           *value,
                   const GVariantType *type,
                   guint               root,
                   GError            **error)
{
  g_autoptr(GBytes) sent = value != NULL ? g_variant_get_data_as_bytes (value) : NULL;
  g_autoptr(GBytes) bytes = wl_dist_broadcast_bytes (sent, root, error);

  if (bytes == NULL)
    return NULL;
  return g_variant_ref_sink (g_variant_new_from_bytes (type, bytes, TRUE));
}

/* Rank 0 opens the file and tells every rank its size and layout; NULL
 * layout when the file is read whole. */
static gboolean
share_start (const char           *path,
             const WlLoadOptions  *options,
             WlDatasetShard      **shard,
             guint64              *size,
             GVariant            **layout,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr(GVariant) start = NULL;
  g_autoptr(GVariant) sent = NULL;
  g_autoptr(GVariant) boxed = NULL;
  gboolean ranges;

  if (wl_dist_rank () == 0)
    {
      GStatBuf st;
      GVariant *found;

      *size = g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
      *shard = wl_dataset_shard_open_first (path, options, *size / wl_dist_size (),
                                            cancellable, error);
      if (*shard == NULL)
        return FALSE;
      /* A file of fewer bytes than processes is read whole. */
      found = *size >= wl_dist_size () ? wl_dataset_shard_get_layout (*shard) : NULL;
      sent = g_variant_ref_sink (g_variant_new ("(tbv)", *size, found != NULL,
                                                found != NULL ? found : g_variant_new ("()")));
    }
  if ((start = broadcast_variant (sent, START_TYPE, 0, error)) == NULL)
    return FALSE;
  g_variant_get (start, "(tbv)", size, &ranges, &boxed);
  *layout = ranges ? g_steal_pointer (&boxed) : NULL;
  return TRUE;
}

/* In rank order, each rank's boundary to the next, which joins it. */
static gboolean
pass_boundaries (WlDatasetShard  *shard,
                 gboolean         exact,
                 GError         **error)
{
  guint rank = wl_dist_rank ();

  for (guint r = 1; r < wl_dist_size (); r++)
    {
      g_autoptr(GVariant) mine = rank == r - 1 ? wl_dataset_shard_get_boundary (shard) : NULL;
      g_autoptr(GVariant) boundary = broadcast_variant (mine, BOUNDARY_TYPE, r - 1, error);

      if (boundary == NULL || (rank == r && !wl_dataset_shard_join (shard, boundary, exact, error)))
        return FALSE;
    }
  return TRUE;
}

static void
report_bytes (WlRun       *run,
              const char  *path,
              guint64      size,
              const guint64 *bytes_read,
              gboolean     exact)
{
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint r = 0; r < wl_dist_size (); r++)
    g_string_append_printf (list, "%s%" PRIu64, r ? ", " : "", bytes_read[r]);
  if (exact)
    wl_run_emit_message (run, WL_STAGE_LOAD,
                         _("%s: %u processes read its %" PRIu64 " bytes in ranges (bytes read "
                           "by rank 0, 1…: %s); some rows depend on the rows before them, so "
                           "each range was read again from where the previous one ended"),
                         basename, wl_dist_size (), size, list->str);
  else
    wl_run_emit_message (run, WL_STAGE_LOAD,
                         _("%s: %u processes read its %" PRIu64 " bytes in ranges (bytes read "
                           "by rank 0, 1…: %s)"),
                         basename, wl_dist_size (), size, list->str);
}

/* Says on rank 0 why every rank reads the whole file. */
static void
report_whole (WlRun      *run,
              const char *path)
{
  g_autofree char *basename = g_path_get_basename (path);

  if (wl_dist_rank () == 0)
    wl_run_emit_message (run, WL_STAGE_LOAD,
                         _("%s: each of the %u processes reads the whole file, as its "
                           "encoding cannot be cut at line starts or changes past its start "
                           "(save it as UTF-8 to divide the reading among them)"),
                         basename, wl_dist_size ());
}

WlDataset *
wl_run_load_shards (WlRun                *run,
                    const char           *path,
                    const WlLoadOptions  *options,
                    gboolean             *whole,
                    GError              **error)
{
  GCancellable *cancellable = wl_run_get_cancellable (run);
  guint rank = wl_dist_rank (), n = wl_dist_size ();
  g_autoptr(WlDatasetShard) shard = NULL;
  g_autoptr(GVariant) layout = NULL;
  g_autoptr(GVariant) mine = NULL;
  g_autoptr(GBytes) sent = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree guint64 *bytes_read = NULL;
  gint64 flags[2];
  guint64 size, bytes;

  *whole = FALSE;
  if (!share_start (path, options, &shard, &size, &layout, cancellable, error))
    return NULL;
  if (layout == NULL)
    {
      if (size >= n)
        report_whole (run, path);
      *whole = TRUE;
      return NULL;
    }
  if (rank > 0 &&
      !(shard = wl_dataset_shard_open (path, options, layout, size * rank / n,
                                       size * (rank + 1) / n, cancellable, error)))
    return NULL;
  if (!wl_dataset_shard_read (shard, error) || !pass_boundaries (shard, FALSE, error))
    return NULL;

  /* Any rank: rows that may read otherwise from the start of the file, or
   * a file that turns out to be in another encoding past its start. */
  flags[0] = wl_dataset_shard_needs_exact (shard);
  flags[1] = !wl_dataset_shard_kept_encoding (shard);
  if (!wl_dist_allreduce_max_int64 (flags, G_N_ELEMENTS (flags), error))
    return NULL;
  if (flags[1])
    {
      report_whole (run, path);
      *whole = TRUE;
      return NULL;
    }
  if (flags[0] && !pass_boundaries (shard, TRUE, error))
    return NULL;

  bytes = wl_dataset_shard_get_bytes_read (shard);
  bytes_read = g_new (guint64, n);
  if (!wl_dist_allgather (&bytes, sizeof bytes, bytes_read, error))
    return NULL;
  if (rank == 0)
    report_bytes (run, path, size, bytes_read, flags[0]);

  mine = wl_dataset_shard_serialize (shard);
  sent = g_variant_get_data_as_bytes (mine);
  if ((all = wl_dist_allgather_bytes (sent, error)) == NULL)
    return NULL;
  parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  for (guint r = 0; r < n; r++)
    g_ptr_array_add (parts, g_variant_ref_sink (g_variant_new_from_bytes (PART_TYPE,
                                                                          all->pdata[r],
                                                                          TRUE)));
  return wl_dataset_shard_join_all (shard, (GVariant * const *) parts->pdata, n, error);
}
