/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-windows.c: cleaning, building and featurizing one window of rows
 * at a time. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "train/wl-run-private.h"
#include "train/wl-run-windows.h"
#include "wl-error.h"

#define DEFAULT_WINDOW_ROWS 65536

gsize
wl_run_window_rows (const WlConfig *config,
                    guint64         file_bytes)
{
  const char *forced = g_getenv ("WORDLOOM_WINDOW_ROWS");
  gboolean can = wl_model_type_builds_in_windows (config->model.type);

  if (forced != NULL)
    return can ? (gsize) g_ascii_strtoull (forced, NULL, 10) : 0;
  return can && file_bytes >= WL_WINDOWS_MIN_BYTES ? DEFAULT_WINDOW_ROWS : 0;
}

guint64
wl_run_count_tokens (const WlTokenList *docs,
                     gsize              n,
                     guint              max_length)
{
  guint64 total = 0;

  for (gsize i = 0; i < n; i++)
    total += max_length > 0 ? MIN (docs[i].n_tokens, max_length) : docs[i].n_tokens;
  return total;
}

/* What is done with the tokens of one window: rows @first .. @first + @n - 1. */
typedef gboolean (*WindowFunc) (const WlTokenList *docs,
                                gsize              first,
                                gsize              n,
                                gpointer           data,
                                GError           **error);

/* Reads the texts of @rows of @dataset a window at a time, tokenises
 * them and hands each window to @func; a window's texts and tokens are
 * released before the next is read. */
static gboolean
for_each_window (WlRun                *run,
                 const WlPreprocessor *pp,
                 const WlDataset      *dataset,
                 const guint32        *rows,
                 gsize                 n,
                 gsize                 window,
                 WindowFunc            func,
                 gpointer              data,
                 GError              **error)
{
  guint n_threads = wl_config_get_threads (wl_run_get_config (run));
  WlRunSummary *summary = wl_run_get_summary_mutable (run);
  g_autofree WlTokenList *docs = g_new0 (WlTokenList, MIN (window, n) + 1);
  g_autofree const char **texts = g_new0 (const char *, MIN (window, n) + 1);
  g_autoptr(GStringChunk) chunk = g_string_chunk_new (1u << 20);

  g_return_val_if_fail (window > 0, FALSE);

  for (gsize first = 0; first < n; first += window)
    {
      gsize len = MIN (window, n - first);
      gboolean ok;

      wl_run_wait_while_paused (run);
      g_string_chunk_clear (chunk);
      if (!wl_dataset_read_texts (dataset, rows + first, len, chunk, texts, error))
        return FALSE;
      if (!wl_preprocess_all (pp, texts, len, n_threads, docs,
                              wl_run_get_cancellable (run), error))
        {
          wl_token_lists_free (g_steal_pointer (&docs), len);
          return FALSE;
        }
      summary->max_rows_tokenized = MAX (summary->max_rows_tokenized, len);
      ok = func (docs, first, len, data, error);
      for (gsize i = 0; i < len; i++)
        wl_token_list_clear (&docs[i]);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  WlModel *model;
  guint    n_threads;
} BuildJob;

static gboolean
build_window (const WlTokenList *docs,
              gsize              first,
              gsize              n,
              gpointer           data,
              GError           **error)
{
  BuildJob *job = data;

  return wl_model_build_add (job->model, docs, n, job->n_threads, error);
}

gboolean
wl_run_build_in_windows (WlRun                *run,
                         const WlPreprocessor *pp,
                         WlModel              *model,
                         const WlDataset      *dataset,
                         const guint32        *rows,
                         const guint32        *labels,
                         gsize                 n,
                         gsize                 window,
                         GError              **error)
{
  BuildJob job = { model, wl_config_get_threads (wl_run_get_config (run)) };

  return for_each_window (run, pp, dataset, rows, n, window, build_window, &job, error) &&
         wl_model_build_finish (model, labels, n, error);
}

typedef struct
{
  WlRun         *run;
  const WlModel *model;
  guint          n_threads;
  WlFeatures    *features;
  guint64        n_tokens;
} FeaturizeJob;

static gboolean
featurize_window (const WlTokenList *docs,
                  gsize              first,
                  gsize              n,
                  gpointer           data,
                  GError           **error)
{
  FeaturizeJob *job = data;

  if (g_cancellable_set_error_if_cancelled (wl_run_get_cancellable (job->run), error) ||
      !wl_model_featurize_more (job->model, job->features, docs, n, job->n_threads, error))
    return FALSE;
  job->n_tokens += wl_run_count_tokens (docs, n, job->model->config->model.max_length);
  return TRUE;
}

WlFeatures *
wl_run_featurize_in_windows (WlRun                *run,
                             const WlPreprocessor *pp,
                             const WlModel        *model,
                             const WlDataset      *dataset,
                             const guint32        *rows,
                             gsize                 n,
                             gsize                 window,
                             guint64              *n_tokens,
                             GError              **error)
{
  FeaturizeJob job = { run, model, wl_config_get_threads (wl_run_get_config (run)) };

  job.features = wl_model_features_new_on_disk (model, window, error);
  if (job.features == NULL)
    return NULL;
  if (!for_each_window (run, pp, dataset, rows, n, window, featurize_window, &job, error))
    {
      wl_model_features_free (model, job.features);
      return NULL;
    }
  *n_tokens += job.n_tokens;
  return job.features;
}
