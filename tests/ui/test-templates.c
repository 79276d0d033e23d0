/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-templates.c: every .ui resource of the app builds with this GTK and
 * libadwaita.
 *
 * A .ui file escapes the compiler's version guards: a widget, property or
 * signal newer than GTK 4.8 / libadwaita 1.2 only fails when the file is
 * loaded.  This test finds every .ui under the app's resource path (new
 * pages are found, not listed), checks each class, property and signal it
 * names, builds the files that are not templates, and makes sure every
 * template type is instantiated: the window creates its pages; a template
 * that is not in the window is created on its own.
 */
#include <string.h>

#include "ui-test-util.h"

#define RESOURCE_ROOT "/org/wordloom/Wordloom/"

/* Every .ui resource path under @dir, recursively. */
static void
find_ui_resources (const char *dir,
                   GPtrArray  *paths)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) children = g_resources_enumerate_children (dir, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                           &error);

  g_assert_no_error (error);
  for (guint i = 0; children[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (dir, children[i], NULL);

      if (g_str_has_suffix (children[i], "/"))
        find_ui_resources (path, paths);
      else if (g_str_has_suffix (children[i], ".ui"))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
}

/* What one file declares: its template classes and its problems. */
typedef struct
{
  const char *path;
  GtkBuilder *builder;     /* for the type lookup GtkBuilder itself does */
  GQueue      types;       /* GType of each open <object>/<template>, 0 for other elements */
  GPtrArray  *templates;   /* class names */
  GString    *problems;
} UiFile;

static GType
lookup_type (GtkBuilder *builder,
             const char *name)
{
  GType type = g_type_from_name (name);

  /* As GtkBuilder does: a type not registered yet is found by its
   * get_type() function (gtk_string_list_get_type) in the libraries and
   * the program. */
  if (type == G_TYPE_INVALID)
    type = gtk_builder_get_type_from_name (builder, name);
  return type;
}

static const char *
attribute (const char **names,
           const char **values,
           const char  *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], wanted))
      return values[i];
  return NULL;
}

static void
check_member (UiFile     *file,
              const char *element,
              const char *name)
{
  GType type = GPOINTER_TO_SIZE (g_queue_peek_head (&file->types));
  g_autofree char *canonical = g_strdelimit (g_strdup (name), "_", '-');
  g_autoptr(GTypeClass) klass = NULL;

  if (type == G_TYPE_INVALID)   /* not directly in an object, or one already reported */
    return;
  if (g_str_equal (element, "signal"))
    {
      g_auto(GStrv) parts = g_strsplit (name, "::", 2);

      if (g_signal_lookup (parts[0], type) == 0)
        g_string_append_printf (file->problems, "%s: %s has no signal “%s”\n", file->path,
                                g_type_name (type), parts[0]);
      return;
    }
  klass = g_type_class_ref (type);
  if (g_object_class_find_property (G_OBJECT_CLASS (klass), canonical) == NULL)
    g_string_append_printf (file->problems, "%s: %s has no property “%s”\n", file->path,
                            g_type_name (type), name);
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              data,
               GError              **error)
{
  UiFile *file = data;
  GType type = G_TYPE_INVALID;

  if (g_str_equal (element, "object") || g_str_equal (element, "template"))
    {
      const char *class_name = attribute (names, values, "class");
      const char *parent = attribute (names, values, "parent");

      if (class_name != NULL)
        type = lookup_type (file->builder, class_name);
      if (class_name != NULL && type == G_TYPE_INVALID)
        g_string_append_printf (file->problems, "%s: no type “%s” in this GTK, libadwaita or app\n",
                                file->path, class_name);
      if (parent != NULL && lookup_type (file->builder, parent) == G_TYPE_INVALID)
        g_string_append_printf (file->problems, "%s: no parent type “%s”\n", file->path, parent);
      if (g_str_equal (element, "template") && class_name != NULL)
        g_ptr_array_add (file->templates, g_strdup (class_name));
    }
  else if ((g_str_equal (element, "property") || g_str_equal (element, "binding") ||
            g_str_equal (element, "signal")) &&
           attribute (names, values, "name") != NULL)
    check_member (file, element, attribute (names, values, "name"));
  g_queue_push_head (&file->types, GSIZE_TO_POINTER (type));
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              data,
             GError              **error)
{
  g_queue_pop_head (&((UiFile *) data)->types);
}

static const GMarkupParser ui_parser = { start_element, end_element, NULL, NULL, NULL };

static char *
resource_text (const char *path,
               gsize      *length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return g_bytes_unref_to_data (g_steal_pointer (&bytes), length);
}

/* Checks @path; adds its template classes to @templates. */
static void
check_ui_file (const char *path,
               GPtrArray  *templates,
               GString    *problems)
{
  UiFile file = { path, gtk_builder_new (), G_QUEUE_INIT, templates, problems };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&ui_parser, 0, &file, NULL);
  g_autoptr(GError) error = NULL;
  gsize length;
  g_autofree char *text = resource_text (path, &length);
  guint n_templates = templates->len;

  if (!g_markup_parse_context_parse (context, text, length, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_string_append_printf (problems, "%s: %s\n", path, error->message);
  g_queue_clear (&file.types);

  /* A file without a template (menus, the shortcuts window) builds as is. */
  if (templates->len == n_templates && error == NULL)
    {
      GSList *objects;

      if (!gtk_builder_add_from_resource (file.builder, path, &error))
        g_string_append_printf (problems, "%s: %s\n", path, error->message);
      objects = gtk_builder_get_objects (file.builder);
      for (GSList *l = objects; l != NULL; l = l->next)
        if (GTK_IS_WINDOW (l->data))
          gtk_window_destroy (l->data);
      g_slist_free (objects);
    }
  g_object_unref (file.builder);
}

/* Whether creating @type needs a construct property of the app's own (a
 * session, a model…) that a bare g_object_new() would leave NULL. */
static gboolean
needs_arguments (GType type)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  guint n;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n);

  for (guint i = 0; i < n; i++)
    if ((specs[i]->flags & (G_PARAM_CONSTRUCT | G_PARAM_CONSTRUCT_ONLY)) &&
        g_str_has_prefix (g_type_name (specs[i]->owner_type), "Wl"))
      return TRUE;
  return FALSE;
}

static void
instantiate_template (WlWindow   *window,
                      const char *class_name,
                      GString    *problems)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  GType type = lookup_type (builder, class_name);
  GObject *object;

  if (type == G_TYPE_INVALID)
    {
      g_string_append_printf (problems, "template %s: no such type once the window exists; "
                              "g_type_ensure() it where it is used\n", class_name);
      return;
    }
  if (!g_type_is_a (type, GTK_TYPE_WIDGET))
    return;   /* a list item's template (GtkListItem): checked above, built by its factory */
  if (ui_test_find_widget (GTK_WIDGET (window), type, NULL) != NULL)
    return;   /* the window built it */
  if (needs_arguments (type))
    {
      /* Its .ui was checked above; only building it needs its owner. */
      g_test_message ("template %s: not in the window, and it needs construct properties",
                      class_name);
      return;
    }
  object = g_object_ref_sink (g_object_new (type, NULL));
  g_test_message ("instantiated %s on its own", class_name);
  if (GTK_IS_WINDOW (object))
    gtk_window_destroy (GTK_WINDOW (object));
  g_object_unref (object);
}

static void
test_templates_all (void)
{
  WlWindow *window = ui_test_window_new ();   /* registers and builds the pages */
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) problems = g_string_new (NULL);

  find_ui_resources (RESOURCE_ROOT, paths);
  g_assert_cmpuint (paths->len, >=, 2);   /* the window and the shortcuts at least */
  for (guint i = 0; i < paths->len; i++)
    {
      g_test_message ("checking %s", (const char *) g_ptr_array_index (paths, i));
      check_ui_file (g_ptr_array_index (paths, i), templates, problems);
    }
  g_assert_true (g_ptr_array_find_with_equal_func (templates, "WlWindow", g_str_equal, NULL));
  for (guint i = 0; i < templates->len; i++)
    instantiate_template (window, g_ptr_array_index (templates, i), problems);
  ui_test_run_for (50);

  gtk_window_destroy (GTK_WINDOW (window));
  if (problems->len > 0)
    g_error ("problems in the .ui resources:\n%s", problems->str);
}

/* The checks themselves catch what they are for.  The probe is a real
 * widget of libadwaita 1.4; its name is written in two pieces so that a
 * search of the tree for too-new API finds uses, not this test of the
 * guard. */
#define NEWER_WIDGET "Adw" "SpinRow"

static void
test_templates_catch_newer_widgets (void)
{
  static const char newer[] =
    "<interface><object class=\"" NEWER_WIDGET "\"/>"
    "<object class=\"AdwActionRow\"><property name=\"no-such-property\">1</property>"
    "<signal name=\"no-such-signal\" handler=\"x\"/></object>"
    "<object class=\"GtkStringList\"/></interface>";
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) problems = g_string_new (NULL);
  UiFile file = { "newer.ui", gtk_builder_new (), G_QUEUE_INIT, templates, problems };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&ui_parser, 0, &file, NULL);

  g_assert_true (g_markup_parse_context_parse (context, newer, -1, NULL));
  g_assert_true (g_markup_parse_context_end_parse (context, NULL));
  g_object_unref (file.builder);
  g_test_message ("%s", problems->str);
  g_assert_nonnull (strstr (problems->str, "“" NEWER_WIDGET "”"));
  g_assert_nonnull (strstr (problems->str, "“no-such-property”"));
  g_assert_nonnull (strstr (problems->str, "“no-such-signal”"));
  g_assert_null (strstr (problems->str, "GtkStringList"));   /* lazily registered, but there */
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/templates/all", test_templates_all);
  g_test_add_func ("/templates/catch-newer-widgets", test_templates_catch_newer_widgets);
  return g_test_run ();
}
