/* wl-results-page.c: the Results page (placeholder until written). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-results-page.h"

struct _WlResultsPage
{
  AdwBin     parent_instance;
  WlSession *session;
};

G_DEFINE_FINAL_TYPE (WlResultsPage, wl_results_page, ADW_TYPE_BIN)

static void
wl_results_page_dispose (GObject *object)
{
  WlResultsPage *self = WL_RESULTS_PAGE (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (wl_results_page_parent_class)->dispose (object);
}

static void
wl_results_page_class_init (WlResultsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wl_results_page_dispose;
}

static void
wl_results_page_init (WlResultsPage *self)
{
  adw_bin_set_child (ADW_BIN (self), adw_status_page_new ());
}

GtkWidget *
wl_results_page_new (WlSession *session)
{
  WlResultsPage *self = g_object_new (WL_TYPE_RESULTS_PAGE, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}
