/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-number-row.c: a settings row with a spin button and a default value. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wl-number-row.h"
#include "wl-set-str.h"

struct _WlNumberRow
{
  AdwActionRow   parent_instance;

  GtkSpinButton *spin;
  GtkWidget     *reset;

  char          *description;
  char          *zero_text;     /* what 0 shows ("Auto", "Off"), or NULL */
  char          *unit;          /* after the number ("%"), or NULL */
  double         default_value;
  char          *default_text;
  gboolean       automatic;
  gboolean       setting;       /* the spin button changes because we said so */
};

G_DEFINE_FINAL_TYPE (WlNumberRow, wl_number_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_ADJUSTMENT,
  PROP_DIGITS,
  PROP_DESCRIPTION,
  PROP_ZERO_TEXT,
  PROP_UNIT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
format_number (WlNumberRow *self,
               double       value)
{
  if (value == 0.0 && self->zero_text != NULL)
    return g_strdup (self->zero_text);
  if (gtk_spin_button_get_digits (self->spin) == 0)
    return g_strdup_printf ("%.0f%s", value, self->unit ? self->unit : "");
  return g_strdup_printf ("%g%s", value, self->unit ? self->unit : "");
}

static void
update_subtitle (WlNumberRow *self)
{
  g_autofree char *number = NULL;
  g_autofree char *subtitle = NULL;

  if (self->description == NULL)
    return;
  number = self->default_text ? g_strdup (self->default_text)
                              : format_number (self, self->default_value);
  /* Translators: a setting's explanation, then its default value:
   * "Passes over the training data. Default: 5." */
  subtitle = g_strdup_printf (_("%s Default: %s."), self->description, number);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
}

static void
show_value (WlNumberRow *self,
            double       value)
{
  self->setting = TRUE;
  gtk_spin_button_set_value (self->spin, value);   /* shows it even when equal */
  self->setting = FALSE;
}

static gboolean
on_output (GtkSpinButton *spin,
           WlNumberRow   *self)
{
  g_autofree char *text = format_number (self, gtk_spin_button_get_value (spin));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
on_input (GtkSpinButton *spin,
          double        *new_value,
          WlNumberRow   *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  gsize len = strlen (text);
  char *end;

  if (self->zero_text != NULL && g_utf8_collate (text, self->zero_text) == 0)
    {
      *new_value = 0.0;
      return TRUE;
    }
  if (self->unit != NULL && g_str_has_suffix (text, self->unit))
    text[len - strlen (self->unit)] = '\0';
  *new_value = g_strtod (text, &end);
  if (end == text || *g_strstrip (end) != '\0')
    return GTK_INPUT_ERROR;
  return TRUE;
}

static void
on_value_changed (WlNumberRow *self)
{
  if (self->setting)
    return;
  wl_number_row_set_automatic (self, FALSE);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_reset_clicked (WlNumberRow *self)
{
  wl_number_row_set_automatic (self, TRUE);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
wl_number_row_finalize (GObject *object)
{
  WlNumberRow *self = WL_NUMBER_ROW (object);

  g_free (self->description);
  g_free (self->zero_text);
  g_free (self->unit);
  g_free (self->default_text);
  G_OBJECT_CLASS (wl_number_row_parent_class)->finalize (object);
}

static void
wl_number_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WlNumberRow *self = WL_NUMBER_ROW (object);

  switch (prop_id)
    {
    case PROP_ADJUSTMENT:
      g_value_set_object (value, gtk_spin_button_get_adjustment (self->spin));
      break;
    case PROP_DIGITS:
      g_value_set_uint (value, gtk_spin_button_get_digits (self->spin));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_ZERO_TEXT:
      g_value_set_string (value, self->zero_text);
      break;
    case PROP_UNIT:
      g_value_set_string (value, self->unit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (WlNumberRow  *self,
            char        **field,
            const GValue *value,
            GParamSpec   *pspec)
{
  if (!wl_set_str (field, g_value_get_string (value)))
    return;
  update_subtitle (self);
  show_value (self, gtk_spin_button_get_value (self->spin));
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
wl_number_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WlNumberRow *self = WL_NUMBER_ROW (object);

  switch (prop_id)
    {
    case PROP_ADJUSTMENT:
      self->setting = TRUE;
      gtk_spin_button_set_adjustment (self->spin, g_value_get_object (value));
      self->setting = FALSE;
      break;
    case PROP_DIGITS:
      gtk_spin_button_set_digits (self->spin, g_value_get_uint (value));
      break;
    case PROP_DESCRIPTION:
      set_string (self, &self->description, value, pspec);
      break;
    case PROP_ZERO_TEXT:
      set_string (self, &self->zero_text, value, pspec);
      break;
    case PROP_UNIT:
      set_string (self, &self->unit, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_number_row_class_init (WlNumberRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wl_number_row_finalize;
  object_class->get_property = wl_number_row_get_property;
  object_class->set_property = wl_number_row_set_property;

  properties[PROP_ADJUSTMENT] =
    g_param_spec_object ("adjustment", NULL, NULL, GTK_TYPE_ADJUSTMENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIGITS] =
    g_param_spec_uint ("digits", NULL, NULL, 0, 20, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZERO_TEXT] =
    g_param_spec_string ("zero-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::changed: the user changed the value, or asked for the default. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wl_number_row_init (WlNumberRow *self)
{
  self->automatic = TRUE;
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);

  self->reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_set_valign (self->reset, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->reset, FALSE);
  gtk_widget_add_css_class (self->reset, "flat");
  gtk_widget_add_css_class (self->reset, "circular");
  gtk_widget_set_tooltip_text (self->reset, _("Use the Default"));
  g_signal_connect_swapped (self->reset, "clicked", G_CALLBACK (on_reset_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->reset);

  self->spin = GTK_SPIN_BUTTON (gtk_spin_button_new (NULL, 1.0, 0));
  gtk_widget_set_valign (GTK_WIDGET (self->spin), GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->spin), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->spin), "numeric");
  g_signal_connect (self->spin, "output", G_CALLBACK (on_output), self);
  g_signal_connect (self->spin, "input", G_CALLBACK (on_input), self);
  g_signal_connect_swapped (self->spin, "value-changed", G_CALLBACK (on_value_changed), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->spin));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->spin));
}

GtkWidget *
wl_number_row_new (void)
{
  return g_object_new (WL_TYPE_NUMBER_ROW, NULL);
}

GtkSpinButton *
wl_number_row_get_spin_button (WlNumberRow *self)
{
  g_return_val_if_fail (WL_IS_NUMBER_ROW (self), NULL);
  return self->spin;
}

double
wl_number_row_get_value (WlNumberRow *self)
{
  g_return_val_if_fail (WL_IS_NUMBER_ROW (self), 0.0);
  return gtk_spin_button_get_value (self->spin);
}

void
wl_number_row_set_value (WlNumberRow *self,
                         double       value)
{
  g_return_if_fail (WL_IS_NUMBER_ROW (self));
  show_value (self, value);
  wl_number_row_set_automatic (self, FALSE);
}

gboolean
wl_number_row_get_automatic (WlNumberRow *self)
{
  g_return_val_if_fail (WL_IS_NUMBER_ROW (self), FALSE);
  return self->automatic;
}

void
wl_number_row_set_automatic (WlNumberRow *self,
                             gboolean     automatic)
{
  g_return_if_fail (WL_IS_NUMBER_ROW (self));
  self->automatic = automatic;
  gtk_widget_set_visible (self->reset, !automatic);
  if (automatic)
    show_value (self, self->default_value);
}

void
wl_number_row_set_default (WlNumberRow *self,
                           double       value,
                           const char  *text)
{
  g_return_if_fail (WL_IS_NUMBER_ROW (self));

  self->default_value = value;
  g_free (self->default_text);
  self->default_text = g_strdup (text);
  update_subtitle (self);
  if (self->automatic)
    show_value (self, value);
}
