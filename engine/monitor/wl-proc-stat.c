/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-proc-stat.c: per-core CPU time, process and system memory from /proc. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "monitor/wl-proc-stat.h"
#include "wl-error.h"

/* /proc/stat of a machine with a few hundred cores is tens of kilobytes:
 * start with room for most machines and grow when a read fills it. */
#define INITIAL_BUFFER_SIZE 16384
#define MAX_BUFFER_SIZE (16 * 1024 * 1024)

struct _WlProcReader
{
  char  *stat_path;
  char  *statm_path;
  char  *meminfo_path;
  char  *buffer;
  gsize  size;         /* allocated */
  long   page_size;
};

WlProcReader *
wl_proc_reader_new (const char *proc_root)
{
  WlProcReader *reader = g_new0 (WlProcReader, 1);

  if (proc_root == NULL)
    proc_root = "/proc";
  reader->stat_path = g_build_filename (proc_root, "stat", NULL);
  reader->statm_path = g_build_filename (proc_root, "self", "statm", NULL);
  reader->meminfo_path = g_build_filename (proc_root, "meminfo", NULL);
  reader->size = INITIAL_BUFFER_SIZE;
  reader->buffer = g_malloc (reader->size);
  reader->page_size = sysconf (_SC_PAGESIZE);
  if (reader->page_size <= 0)
    reader->page_size = 4096;
  return reader;
}

void
wl_proc_reader_free (WlProcReader *reader)
{
  if (reader == NULL)
    return;
  g_free (reader->stat_path);
  g_free (reader->statm_path);
  g_free (reader->meminfo_path);
  g_free (reader->buffer);
  g_free (reader);
}

/* Reads all of @path into the reader's buffer, NUL-terminated.  Files in
 * /proc report a size of 0, so read until the end and grow as needed. */
static const char *
read_file (WlProcReader  *reader,
           const char    *path,
           GError       **error)
{
  gsize length = 0;
  int fd;

  do
    fd = open (path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    goto failed;

  for (;;)
    {
      gssize n;

      if (length + 1 >= reader->size)
        {
          if (reader->size >= MAX_BUFFER_SIZE)
            {
              errno = EFBIG;
              goto failed;
            }
          reader->size *= 2;
          reader->buffer = g_realloc (reader->buffer, reader->size);
        }
      n = read (fd, reader->buffer + length, reader->size - 1 - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed;
      if (n == 0)
        break;
      length += n;
    }
  close (fd);
  reader->buffer[length] = '\0';
  return reader->buffer;

failed:
  {
    int saved = errno;

    if (fd >= 0)
      close (fd);
    g_set_error (error, WL_ERROR, WL_ERROR_IO, _("Cannot read %s: %s"), path, g_strerror (saved));
    return NULL;
  }
}

/* The line after @line, or NULL at the end of the text. */
static const char *
next_line (const char *line)
{
  const char *newline = strchr (line, '\n');

  return newline != NULL && newline[1] != '\0' ? newline + 1 : NULL;
}

/* CPU */

void
wl_cpu_times_clear (WlCpuTimes *times)
{
  g_return_if_fail (times != NULL);
  g_clear_pointer (&times->busy, g_free);
  g_clear_pointer (&times->total, g_free);
  times->n_cores = 0;
}

/* Parses one "cpu…" line after its name: user nice system idle iowait irq
 * softirq steal (guest and guest_nice are already in user and nice).  Old
 * kernels have fewer fields: missing ones count as 0. */
static gboolean
parse_cpu_fields (const char *p,
                  guint64    *busy,
                  guint64    *total)
{
  guint64 field[8] = { 0 };
  guint n = 0;

  while (n < G_N_ELEMENTS (field))
    {
      char *end;

      while (*p == ' ')
        p++;
      if (!g_ascii_isdigit (*p))
        break;
      field[n++] = g_ascii_strtoull (p, &end, 10);
      p = end;
    }
  if (n < 4)
    return FALSE;
  *busy = field[0] + field[1] + field[2] + field[5] + field[6] + field[7];
  *total = *busy + field[3] + field[4];
  return TRUE;
}

static void
ensure_cores (WlCpuTimes *times,
              guint       n_cores,
              guint      *capacity)
{
  if (n_cores + 1 <= *capacity)
    return;
  *capacity = MAX (2 * *capacity, n_cores + 1);
  times->busy = g_renew (guint64, times->busy, *capacity);
  times->total = g_renew (guint64, times->total, *capacity);
}

gboolean
wl_proc_reader_read_cpu (WlProcReader  *reader,
                         WlCpuTimes    *times,
                         GError       **error)
{
  const char *text, *line;
  guint capacity, n_cores = 0;
  gboolean have_all = FALSE;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (times != NULL, FALSE);

  text = read_file (reader, reader->stat_path, error);
  if (text == NULL)
    return FALSE;

  /* The arrays were sized for the last reading's cores. */
  capacity = times->busy != NULL ? times->n_cores + 1 : 0;
  for (line = text; line != NULL; line = next_line (line))
    {
      guint64 busy, total;
      const char *p;

      if (strncmp (line, "cpu", 3) != 0)
        {
          if (have_all)
            break;   /* the cpu lines come first, together */
          continue;
        }
      p = line + 3;
      if (*p == ' ')
        {
          if (!parse_cpu_fields (p, &busy, &total))
            goto malformed;
          ensure_cores (times, 0, &capacity);
          times->busy[0] = busy;
          times->total[0] = total;
          have_all = TRUE;
          continue;
        }
      while (g_ascii_isdigit (*p))
        p++;
      if (p == line + 3 || !parse_cpu_fields (p, &busy, &total))
        goto malformed;
      ensure_cores (times, n_cores + 1, &capacity);
      times->busy[1 + n_cores] = busy;
      times->total[1 + n_cores] = total;
      n_cores++;
    }
  if (!have_all)
    goto malformed;
  times->n_cores = n_cores;
  return TRUE;

malformed:
  g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
               _("%s has no per-processor time lines that can be read"), reader->stat_path);
  return FALSE;
}

static double
busy_percent (const WlCpuTimes *before,
              const WlCpuTimes *after,
              guint             i)
{
  /* Counters can step back when a core goes offline: count that as 0. */
  guint64 busy = after->busy[i] > before->busy[i] ? after->busy[i] - before->busy[i] : 0;
  guint64 total = after->total[i] > before->total[i] ? after->total[i] - before->total[i] : 0;

  if (total == 0)
    return 0.0;
  return CLAMP (100.0 * (double) busy / (double) total, 0.0, 100.0);
}

gboolean
wl_cpu_times_busy (const WlCpuTimes *before,
                   const WlCpuTimes *after,
                   double           *per_core,
                   double           *all)
{
  gboolean same_cores;

  g_return_val_if_fail (before != NULL && before->busy != NULL, FALSE);
  g_return_val_if_fail (after != NULL && after->busy != NULL, FALSE);
  g_return_val_if_fail (per_core != NULL || after->n_cores == 0, FALSE);
  g_return_val_if_fail (all != NULL, FALSE);

  *all = busy_percent (before, after, 0);
  same_cores = before->n_cores == after->n_cores;
  for (guint i = 0; i < after->n_cores; i++)
    per_core[i] = same_cores ? busy_percent (before, after, 1 + i) : 0.0;
  return same_cores;
}

/* Memory */

/* The value in kB of the meminfo line @key ("MemTotal:"), in bytes. */
static gboolean
meminfo_value (const char *text,
               const char *key,
               guint64    *bytes)
{
  gsize key_len = strlen (key);

  for (const char *line = text; line != NULL; line = next_line (line))
    {
      if (strncmp (line, key, key_len) == 0)
        {
          *bytes = g_ascii_strtoull (line + key_len, NULL, 10) * 1024;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
wl_proc_reader_read_memory (WlProcReader  *reader,
                            WlMemory      *memory,
                            GError       **error)
{
  const char *text;
  guint64 total, available, free_mem, buffers, cached, swap_total, swap_free;
  char *end;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (memory != NULL, FALSE);

  /* statm: size resident shared text lib data dt, in pages */
  text = read_file (reader, reader->statm_path, error);
  if (text == NULL)
    return FALSE;
  g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != ' ')
    goto malformed_statm;
  text = end;
  memory->process_rss = g_ascii_strtoull (text, &end, 10) * (guint64) reader->page_size;
  if (end == text)
    goto malformed_statm;

  text = read_file (reader, reader->meminfo_path, error);
  if (text == NULL)
    return FALSE;
  if (!meminfo_value (text, "MemTotal:", &total) || total == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_PARSE, _("%s has no MemTotal line"),
                   reader->meminfo_path);
      return FALSE;
    }
  /* Kernels before 3.14 have no MemAvailable: estimate it. */
  if (!meminfo_value (text, "MemAvailable:", &available))
    {
      free_mem = buffers = cached = 0;
      meminfo_value (text, "MemFree:", &free_mem);
      meminfo_value (text, "Buffers:", &buffers);
      meminfo_value (text, "Cached:", &cached);
      available = free_mem + buffers + cached;
    }
  memory->system_total = total;
  memory->system_used = total - MIN (available, total);
  /* No swap lines (or no swap): nothing swapped. */
  if (meminfo_value (text, "SwapTotal:", &swap_total) &&
      meminfo_value (text, "SwapFree:", &swap_free))
    memory->swap_used = swap_total - MIN (swap_free, swap_total);
  else
    memory->swap_used = 0;
  return TRUE;

malformed_statm:
  g_set_error (error, WL_ERROR, WL_ERROR_PARSE, _("%s does not start with two page counts"),
               reader->statm_path);
  return FALSE;
}
