/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-evaluation.c: metrics and misclassified examples from probabilities. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "eval/wl-confusion-view.h"
#include "wl-evaluation.h"

/* Unseen labels named in a message before "and N more". */
#define MAX_NAMED_UNSEEN 5

static int
compare_misclassified (gconstpointer a,
                       gconstpointer b)
{
  const WlMisclassified *ma = a;
  const WlMisclassified *mb = b;

  /* Most confident mistakes first, then by row for a stable order. */
  if (ma->p_predicted != mb->p_predicted)
    return ma->p_predicted > mb->p_predicted ? -1 : 1;
  return ma->row < mb->row ? -1 : ma->row > mb->row;
}

WlEvaluation *
wl_evaluation_new (GPtrArray     *label_names,
                   guint          n_model_labels,
                   const float   *probs,
                   const guint32 *truth,
                   const guint32 *rows,
                   gsize          n)
{
  WlEvaluation *evaluation;

  g_return_val_if_fail (label_names != NULL, NULL);
  g_return_val_if_fail (n_model_labels > 0 && n_model_labels <= label_names->len, NULL);

  evaluation = g_new0 (WlEvaluation, 1);
  evaluation->label_names = g_ptr_array_ref (label_names);
  evaluation->n_model_labels = n_model_labels;
  evaluation->metrics = wl_metrics_new (label_names->len);
  evaluation->misclassified = g_array_new (FALSE, FALSE, sizeof (WlMisclassified));

  for (gsize i = 0; i < n; i++)
    {
      const float *p = probs + i * n_model_labels;
      guint32 predicted = wl_argmax (p, n_model_labels);
      gboolean known = truth[i] < n_model_labels;

      /* A label the model never saw has no probability: no loss for it. */
      if (!known)
        evaluation->n_unseen++;
      wl_metrics_add (evaluation->metrics, truth[i], predicted, known ? p : NULL);
      if (predicted != truth[i])
        {
          WlMisclassified m = {
            .row = rows ? rows[i] : i,
            .truth = truth[i],
            .predicted = predicted,
            .p_predicted = p[predicted],
            .p_truth = known ? p[truth[i]] : 0.0f,
          };
          g_array_append_val (evaluation->misclassified, m);
        }
    }
  wl_metrics_finish (evaluation->metrics);
  g_array_sort (evaluation->misclassified, compare_misclassified);
  return evaluation;
}

void
wl_evaluation_free (WlEvaluation *evaluation)
{
  if (evaluation == NULL)
    return;
  g_ptr_array_unref (evaluation->label_names);
  wl_metrics_free (evaluation->metrics);
  g_array_unref (evaluation->misclassified);
  g_free (evaluation);
}

char *
wl_evaluation_describe_unseen (const WlEvaluation *evaluation)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint n_labels = evaluation->label_names->len - evaluation->n_model_labels;
  guint named = 0;

  if (evaluation->n_unseen == 0)
    return NULL;
  for (guint i = evaluation->n_model_labels; i < evaluation->label_names->len && named < MAX_NAMED_UNSEEN; i++)
    {
      if (evaluation->metrics->support[i] == 0)
        continue;
      /* Translators: separates label names in a list */
      g_string_append_printf (names, "%s“%s”", named > 0 ? _(", ") : "",
                              (const char *) g_ptr_array_index (evaluation->label_names, i));
      named++;
    }
  if (n_labels > named)
    g_string_append_printf (names,
                            /* Translators: after a few label names: ", and 12 more" */
                            g_dngettext (GETTEXT_PACKAGE, ", and %u more", ", and %u more", n_labels - named),
                            n_labels - named);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%" PRIu64 " of %" PRIu64 " rows has a label the model never saw in training (%s); it counts as an error",
                                       "%" PRIu64 " of %" PRIu64 " rows have labels the model never saw in training (%s); they count as errors",
                                       evaluation->n_unseen),
                          evaluation->n_unseen, evaluation->metrics->n, names->str);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

char *
wl_evaluation_to_json (const WlEvaluation *evaluation,
                       gboolean            pretty)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const WlMetrics *m = evaluation->metrics;
  guint n_labels = evaluation->label_names->len;
  g_autoptr(WlConfusionView) view = wl_confusion_view_new (m, WL_CONFUSION_VIEW_MAX_LABELS);

  json_builder_begin_object (builder);
  add_double (builder, "accuracy", m->accuracy);
  add_double (builder, "macro_f1", m->macro_f1);
  add_double (builder, "loss", m->loss);
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, (gint64) m->n);

  json_builder_set_member_name (builder, "labels");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_labels; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (evaluation->label_names, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "per_class");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_labels; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, g_ptr_array_index (evaluation->label_names, i));
      add_double (builder, "precision", m->precision[i]);
      add_double (builder, "recall", m->recall[i]);
      add_double (builder, "f1", m->f1[i]);
      json_builder_set_member_name (builder, "support");
      json_builder_add_int_value (builder, (gint64) m->support[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "unseen_rows");
  json_builder_add_int_value (builder, (gint64) evaluation->n_unseen);
  json_builder_set_member_name (builder, "unseen_labels");
  json_builder_begin_array (builder);
  for (guint i = evaluation->n_model_labels; i < n_labels; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (evaluation->label_names, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "confusion_labels");
  json_builder_begin_array (builder);
  for (guint i = 0; i < view->n_shown; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (evaluation->label_names, view->label_ids[i]));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "confusion_others");
  json_builder_add_int_value (builder, view->n_others);
  json_builder_set_member_name (builder, "confusion");
  json_builder_begin_array (builder);
  for (guint i = 0; i < view->n; i++)
    {
      json_builder_begin_array (builder);
      for (guint j = 0; j < view->n; j++)
        json_builder_add_int_value (builder, (gint64) view->cells[(gsize) i * view->n + j]);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "misclassified");
  json_builder_add_int_value (builder, evaluation->misclassified->len);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}
