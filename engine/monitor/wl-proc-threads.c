/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-proc-threads.c: Wordloom's own CPU time by kind of work, from /proc. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "exec/wl-parallel.h"
#include "monitor/wl-proc-threads.h"
#include "wl-error.h"

/* A stat line is "TID (NAME) STATE PPID …": well under this. */
#define STAT_LINE_MAX 1024

WlThreadKind
wl_thread_kind_for_name (const char *name,
                         gboolean    main_thread)
{
  g_return_val_if_fail (name != NULL, WL_THREAD_OTHER);

  /* Without a GPU, Mesa's software renderer draws the window on threads of
   * its own (measured under Xvfb: more CPU than the main thread). */
  if (main_thread || g_str_has_prefix (name, "llvmpipe-"))
    return WL_THREAD_WINDOW;
  if (strcmp (name, WL_RUN_THREAD_NAME) == 0 || strcmp (name, WL_WORK_THREAD_NAME) == 0)
    return WL_THREAD_WORK;
  return WL_THREAD_OTHER;
}

void
wl_thread_times_clear (WlThreadTimes *times)
{
  g_return_if_fail (times != NULL);

  g_clear_pointer (&times->tids, g_free);
  g_clear_pointer (&times->kinds, g_free);
  g_clear_pointer (&times->ticks, g_free);
  times->n_threads = times->capacity = 0;
}

/* Reads the first line of @path into @buf; FALSE when it cannot be read
 * (a thread that has just ended). */
static gboolean
read_line (const char *path,
           char       *buf,
           gsize       size)
{
  gssize n;
  int fd;

  do
    fd = open (path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return FALSE;
  do
    n = read (fd, buf, size - 1);
  while (n < 0 && errno == EINTR);
  close (fd);
  if (n <= 0)
    return FALSE;
  buf[n] = '\0';
  return TRUE;
}

/* Splits a stat line into the thread's name (in @buf, NUL-terminated) and
 * its utime + stime, fields 14 and 15 counted from 1; the name may hold
 * spaces and parentheses, so it ends at the last ')'. */
static gboolean
parse_stat (char        *buf,
            const char **name,
            guint64     *ticks)
{
  char *open = strchr (buf, '(');
  char *close = strrchr (buf, ')');
  const char *p;
  guint64 utime = 0;

  if (open == NULL || close == NULL || close < open)
    return FALSE;
  *close = '\0';
  *name = open + 1;
  p = close + 1;
  /* After the name: field 3 (the state) onwards. */
  for (guint field = 3; field <= 15; field++)
    {
      char *end;
      guint64 value;

      while (*p == ' ')
        p++;
      if (*p == '\0')
        return FALSE;
      value = g_ascii_strtoull (p, &end, 10);
      if (field >= 14 && end == p)
        return FALSE;
      if (field == 14)
        utime = value;
      if (field == 15)
        *ticks = utime + value;
      while (*end != ' ' && *end != '\0')
        end++;
      p = end;
    }
  return TRUE;
}

static void
add_thread (WlThreadTimes *times,
            gint64         tid,
            WlThreadKind   kind,
            guint64        ticks)
{
  if (times->n_threads == times->capacity)
    {
      times->capacity = MAX (2 * times->capacity, 16);
      times->tids = g_renew (gint64, times->tids, times->capacity);
      times->kinds = g_renew (guint8, times->kinds, times->capacity);
      times->ticks = g_renew (guint64, times->ticks, times->capacity);
    }
  times->tids[times->n_threads] = tid;
  times->kinds[times->n_threads] = kind;
  times->ticks[times->n_threads] = ticks;
  times->n_threads++;
}

gboolean
wl_thread_times_read (WlThreadTimes  *times,
                      const char     *proc_root,
                      GError        **error)
{
  g_autofree char *self_stat = NULL;
  g_autofree char *task_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  char buf[STAT_LINE_MAX];
  const char *entry;
  gint64 pid;

  g_return_val_if_fail (times != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (proc_root == NULL)
    proc_root = "/proc";
  self_stat = g_build_filename (proc_root, "self", "stat", NULL);
  if (!read_line (self_stat, buf, sizeof buf) || (pid = g_ascii_strtoll (buf, NULL, 10)) <= 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_IO, _("Cannot read the process id from %s"),
                   self_stat);
      return FALSE;
    }
  task_dir = g_build_filename (proc_root, "self", "task", NULL);
  if (!(dir = g_dir_open (task_dir, 0, error)))
    return FALSE;

  times->n_threads = 0;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (task_dir, entry, "stat", NULL);
      gint64 tid = g_ascii_strtoll (entry, NULL, 10);
      const char *name;
      guint64 ticks = 0;

      if (tid <= 0 || !read_line (path, buf, sizeof buf))
        continue;
      if (!parse_stat (buf, &name, &ticks))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
                       _("%s does not hold a thread's name and times"), path);
          return FALSE;
        }
      add_thread (times, tid, wl_thread_kind_for_name (name, tid == pid), ticks);
    }
  return TRUE;
}

void
wl_thread_times_busy (const WlThreadTimes *before,
                      const WlThreadTimes *after,
                      guint64              elapsed_ticks,
                      double               busy[WL_N_THREAD_KINDS])
{
  guint64 ticks[WL_N_THREAD_KINDS] = { 0 };
  guint j = 0;

  g_return_if_fail (before != NULL && after != NULL && busy != NULL);

  /* Both readings list the threads in the directory's order, which new
   * threads do not reorder: walk them side by side, and look the rest up. */
  for (guint i = 0; i < after->n_threads; i++)
    {
      guint64 was = 0;

      if (j < before->n_threads && before->tids[j] == after->tids[i])
        was = before->ticks[j++];
      else
        for (guint k = 0; k < before->n_threads; k++)
          if (before->tids[k] == after->tids[i])
            {
              was = before->ticks[k];
              j = k + 1;
              break;
            }
      if (after->ticks[i] > was)
        ticks[after->kinds[i]] += after->ticks[i] - was;
    }
  for (guint k = 0; k < WL_N_THREAD_KINDS; k++)
    busy[k] = elapsed_ticks > 0 ? CLAMP (100.0 * (double) ticks[k] / (double) elapsed_ticks,
                                         0.0, 100.0)
                                : 0.0;
}
