/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-item.c: a stored run as an item of the Runs page's list. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "wl-run-format.h"
#include "wl-run-item.h"

struct _WlRunItem
{
  GObject      parent_instance;

  WlRunRecord *record;
  char        *name;
  GArray      *accuracy;   /* double */
  char        *haystack;   /* what the filter searches, case-folded */
};

G_DEFINE_FINAL_TYPE (WlRunItem, wl_run_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RECORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wl_run_item_finalize (GObject *object)
{
  WlRunItem *self = WL_RUN_ITEM (object);

  wl_run_record_free (self->record);
  g_free (self->name);
  g_array_unref (self->accuracy);
  g_free (self->haystack);
  G_OBJECT_CLASS (wl_run_item_parent_class)->finalize (object);
}

static void
wl_run_item_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_RECORD:
      g_value_set_pointer (value, WL_RUN_ITEM (object)->record);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_run_item_class_init (WlRunItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = wl_run_item_get_property;
  object_class->finalize = wl_run_item_finalize;
  properties[PROP_RECORD] =
    g_param_spec_pointer ("record", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wl_run_item_init (WlRunItem *self)
{
  self->accuracy = g_array_new (FALSE, FALSE, sizeof (double));
}

static char *
make_haystack (const WlRunRecord *record)
{
  g_autoptr(GString) text = g_string_new (record->model);
  g_autofree char *dataset = wl_run_format_dataset (record);

  /* One field a line, so that a query never matches across two. */
  g_string_append_printf (text, "\n%s\n%s", dataset, record->notes ? record->notes : "");
  for (guint i = 0; record->tags != NULL && record->tags[i] != NULL; i++)
    g_string_append_printf (text, "\n%s", record->tags[i]);
  return g_utf8_casefold (text->str, -1);
}

WlRunItem *
wl_run_item_new (WlRunRecord *record,
                 GArray      *epochs)
{
  WlRunItem *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (WL_TYPE_RUN_ITEM, NULL);
  self->record = record;
  self->name = wl_run_format_name (record);
  self->haystack = make_haystack (record);
  for (guint i = 0; epochs != NULL && i < epochs->len; i++)
    g_array_append_val (self->accuracy, g_array_index (epochs, WlEpochRecord, i).valid_accuracy);
  if (epochs != NULL)
    g_array_unref (epochs);
  return self;
}

const WlRunRecord *
wl_run_item_get_record (WlRunItem *self)
{
  g_return_val_if_fail (WL_IS_RUN_ITEM (self), NULL);
  return self->record;
}

static gboolean
same_double (double a,
             double b)
{
  return a == b || (isnan (a) && isnan (b));
}

static gboolean
same_tags (char **a,
           char **b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

/* The fields wl_store_list_runs() fills, and the curve. */
static gboolean
same_run (const WlRunItem *a,
          const WlRunItem *b)
{
  const WlRunRecord *x = a->record, *y = b->record;

  if (x->id != y->id || x->state != y->state || x->started != y->started ||
      x->finished != y->finished || x->epochs_run != y->epochs_run ||
      x->n_epochs != y->n_epochs || x->best_epoch != y->best_epoch ||
      !same_double (x->best_metric, y->best_metric) ||
      !same_double (x->test_accuracy, y->test_accuracy) ||
      !same_double (x->test_macro_f1, y->test_macro_f1) ||
      g_strcmp0 (x->model, y->model) != 0 || g_strcmp0 (x->dataset, y->dataset) != 0 ||
      g_strcmp0 (x->metric, y->metric) != 0 || g_strcmp0 (x->notes, y->notes) != 0 ||
      !same_tags (x->tags, y->tags) ||
      a->accuracy->len != b->accuracy->len)
    return FALSE;
  for (guint i = 0; i < a->accuracy->len; i++)
    if (!same_double (g_array_index (a->accuracy, double, i), g_array_index (b->accuracy, double, i)))
      return FALSE;
  return TRUE;
}

gboolean
wl_run_item_update (WlRunItem *self,
                    WlRunItem *other)
{
  g_return_val_if_fail (WL_IS_RUN_ITEM (self), FALSE);
  g_return_val_if_fail (WL_IS_RUN_ITEM (other), FALSE);

  if (same_run (self, other))
    return FALSE;
  {
    WlRunRecord *record = self->record;
    GArray *accuracy = self->accuracy;
    char *name = self->name, *haystack = self->haystack;

    self->record = other->record;
    self->accuracy = other->accuracy;
    self->name = other->name;
    self->haystack = other->haystack;
    other->record = record;
    other->accuracy = accuracy;
    other->name = name;
    other->haystack = haystack;
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
  return TRUE;
}

gint64
wl_run_item_get_id (WlRunItem *self)
{
  g_return_val_if_fail (WL_IS_RUN_ITEM (self), 0);
  return self->record->id;
}

const char *
wl_run_item_get_name (WlRunItem *self)
{
  g_return_val_if_fail (WL_IS_RUN_ITEM (self), NULL);
  return self->name;
}

const double *
wl_run_item_get_accuracy (WlRunItem *self,
                          guint     *n_epochs)
{
  g_return_val_if_fail (WL_IS_RUN_ITEM (self), NULL);
  *n_epochs = self->accuracy->len;
  return (const double *) (gpointer) self->accuracy->data;
}

gboolean
wl_run_item_matches (WlRunItem  *self,
                     const char *query)
{
  g_return_val_if_fail (WL_IS_RUN_ITEM (self), FALSE);
  return query == NULL || strstr (self->haystack, query) != NULL;
}

static int
compare_doubles (double a,
                 double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) - isnan (b);   /* unknown last */
  return (a > b) - (a < b);
}

static int
compare_strings (const char *a,
                 const char *b)
{
  g_autofree char *x = g_utf8_collate_key (a ? a : "", -1);
  g_autofree char *y = g_utf8_collate_key (b ? b : "", -1);

  return strcmp (x, y);
}

int
wl_run_item_compare (WlRunItem   *a,
                     WlRunItem   *b,
                     WlRunColumn  column)
{
  const WlRunRecord *x = a->record, *y = b->record;
  int order = 0;

  switch (column)
    {
    case WL_RUN_COLUMN_STATE:         order = (int) x->state - (int) y->state; break;
    case WL_RUN_COLUMN_NAME:          order = compare_strings (a->name, b->name); break;
    case WL_RUN_COLUMN_STARTED:       order = (x->started > y->started) - (x->started < y->started); break;
    case WL_RUN_COLUMN_MODEL:         order = compare_strings (x->model, y->model); break;
    case WL_RUN_COLUMN_DATASET:       order = compare_strings (x->dataset, y->dataset); break;
    case WL_RUN_COLUMN_EPOCHS:        order = (x->epochs_run > y->epochs_run) - (x->epochs_run < y->epochs_run); break;
    case WL_RUN_COLUMN_BEST:          order = compare_doubles (x->best_metric, y->best_metric); break;
    case WL_RUN_COLUMN_TEST_ACCURACY: order = compare_doubles (x->test_accuracy, y->test_accuracy); break;
    case WL_RUN_COLUMN_MACRO_F1:      order = compare_doubles (x->test_macro_f1, y->test_macro_f1); break;
    case WL_RUN_COLUMN_CURVE:
    case WL_N_RUN_COLUMNS:
    default:                          break;
    }
  /* Equal: by id, which is the order they started in. */
  return order != 0 ? order : (x->id > y->id) - (x->id < y->id);
}
