/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-predict-file.c: a whole file of texts predicted into a CSV file. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "train/wl-worker-job.h"
#include "train/wl-predict-file.h"
#include "wl-error.h"

#define CHUNK 4096   /* texts predicted between progress reports */

static void
append_field (GString    *out,
              const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
write_error (const char  *output,
             int          saved_errno,
             GError     **error)
{
  g_set_error (error, WL_ERROR, WL_ERROR_IO, _("cannot write the predictions to %s: %s"),
               output, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_line (FILE    *file,
            GString *line)
{
  gboolean ok = fwrite (line->str, 1, line->len, file) == line->len;

  g_string_truncate (line, 0);
  return ok;
}

WlConfig *
wl_classifier_new_input_config (const WlClassifier *classifier)
{
  WlConfig *config;

  g_return_val_if_fail (classifier != NULL, NULL);

  config = wl_config_copy (wl_classifier_get_model (classifier)->config);
  config->data.header = WL_HEADER_AUTO;
  config->data.separator = 0;
  config->data.quotes = WL_QUOTES_AUTO;
  return config;
}

WlDataset *
wl_classifier_load_texts (const WlClassifier  *classifier,
                          const char          *path,
                          const WlDataConfig  *data,
                          gboolean             need_labels,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr(WlConfig) config = NULL;
  WlLoadOptions options;

  g_return_val_if_fail (classifier != NULL && path != NULL, NULL);

  if (data == NULL)
    {
      config = wl_classifier_new_input_config (classifier);
      data = &config->data;
    }
  wl_load_options_init_from_config (&options, data);
  options.label_optional = !need_labels;
  return wl_dataset_load (path, &options, NULL, NULL, cancellable, error);
}

gboolean
wl_classifier_predict_file (const WlClassifier  *classifier,
                            const WlDataset     *texts,
                            const char          *output,
                            guint                n_threads,
                            WlProgressFunc       progress,
                            gpointer             progress_data,
                            GCancellable        *cancellable,
                            GError             **error)
{
  guint K = wl_classifier_get_n_labels (classifier);
  gsize n = wl_dataset_get_n_rows (texts);
  g_autofree char *tmp = g_strconcat (output, ".XXXXXX", NULL);
  g_autofree float *probs = g_new (float, (gsize) CHUNK * K);
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean ok = TRUE;
  FILE *file;
  int fd;

  g_return_val_if_fail (classifier != NULL && texts != NULL && output != NULL, FALSE);

  fd = g_mkstemp (tmp);
  if (fd < 0)
    return write_error (output, errno, error);
  /* mkstemp makes it private; it is an ordinary output file. */
  fchmod (fd, 0644);
  file = fdopen (fd, "wb");
  if (file == NULL)
    {
      int saved = errno;

      close (fd);
      g_unlink (tmp);
      return write_error (output, saved, error);
    }

  g_string_append (line, "text,predicted");
  for (guint k = 0; k < K; k++)
    {
      g_autofree char *name = g_strdup_printf ("p(%s)", wl_classifier_get_label (classifier, k));

      g_string_append_c (line, ',');
      append_field (line, name);
    }
  g_string_append (line, "\r\n");
  if (!write_line (file, line))
    ok = write_error (output, errno, error);

  for (gsize begin = 0; ok && begin < n; begin += CHUNK)
    {
      gsize m = MIN (CHUNK, n - begin);

      ok = wl_classifier_predict (classifier, (const char * const *) texts->texts->pdata + begin, m,
                                  n_threads, probs, cancellable, error);
      for (gsize i = 0; ok && i < m; i++)
        {
          const float *p = probs + i * K;

          append_field (line, wl_dataset_get_text (texts, begin + i));
          g_string_append_c (line, ',');
          append_field (line, wl_classifier_get_label (classifier, wl_argmax (p, K)));
          for (guint k = 0; k < K; k++)
            g_string_append_printf (line, ",%.6f", p[k]);
          g_string_append (line, "\r\n");
        }
      if (ok && !write_line (file, line))
        ok = write_error (output, errno, error);
      if (ok && progress != NULL)
        progress (begin + m, n, progress_data);
    }
  if (ok && (fflush (file) != 0 || fsync (fileno (file)) != 0))
    ok = write_error (output, errno, error);
  if (fclose (file) != 0 && ok)
    ok = write_error (output, errno, error);
  if (ok && g_rename (tmp, output) != 0)
    ok = write_error (output, errno, error);
  if (!ok)
    g_unlink (tmp);
  return ok;
}

/* On a worker thread */

typedef struct
{
  const WlClassifier *classifier;
  const WlDataset    *texts;
  char               *output;
  guint               n_threads;
} Job;

static void
job_free (Job *job)
{
  g_free (job->output);
  g_free (job);
}

static gpointer
predict_job (gpointer         data,
             WlProgressFunc   progress,
             gpointer         progress_data,
             GCancellable    *cancellable,
             GError         **error)
{
  Job *job = data;

  return wl_classifier_predict_file (job->classifier, job->texts, job->output, job->n_threads,
                                     progress, progress_data, cancellable, error)
         ? GINT_TO_POINTER (TRUE) : NULL;
}

void
wl_classifier_predict_file_async (const WlClassifier  *classifier,
                                  const WlDataset     *texts,
                                  const char          *output,
                                  guint                n_threads,
                                  WlProgressFunc       progress,
                                  gpointer             progress_data,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job = g_new (Job, 1);

  *job = (Job) { classifier, texts, g_strdup (output), n_threads };
  wl_worker_job_run (wl_classifier_predict_file_async, predict_job, job, (GDestroyNotify) job_free,
                     NULL, progress, progress_data, cancellable, callback, user_data);
}

gboolean
wl_classifier_predict_file_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return wl_worker_job_finish (result, wl_classifier_predict_file_async, error) != NULL;
}
