/* wl-train-page.c: the Train page (placeholder until written). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-train-page.h"

struct _WlTrainPage
{
  AdwBin     parent_instance;
  WlSession *session;
};

G_DEFINE_FINAL_TYPE (WlTrainPage, wl_train_page, ADW_TYPE_BIN)

static void
wl_train_page_dispose (GObject *object)
{
  WlTrainPage *self = WL_TRAIN_PAGE (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (wl_train_page_parent_class)->dispose (object);
}

static void
wl_train_page_class_init (WlTrainPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wl_train_page_dispose;
}

static void
wl_train_page_init (WlTrainPage *self)
{
  adw_bin_set_child (ADW_BIN (self), adw_status_page_new ());
}

GtkWidget *
wl_train_page_new (WlSession *session)
{
  WlTrainPage *self = g_object_new (WL_TYPE_TRAIN_PAGE, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}
