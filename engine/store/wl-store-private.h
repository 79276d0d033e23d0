/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-private.h: the store's connection, statements and the writes
 * the recorder makes. */
#pragma once

#include <sqlite3.h>

#include "store/wl-store.h"

G_BEGIN_DECLS

#define WL_STORE_SCHEMA_VERSION 6
/* How long a connection waits for another one's write lock. */
#define WL_STORE_BUSY_TIMEOUT_MS 5000

struct _WlStore
{
  sqlite3    *db;
  char       *path;
  char       *checkpoint_dir;
  GHashTable *statements;     /* SQL → sqlite3_stmt *, prepared once */
};

/* wl-store-schema.c */
/* Migrates @db from its user_version up to @version (in one transaction
 * per step); refuses a database newer than this program. */
gboolean      wl_store_schema_migrate   (WlStore        *store,
                                         int             version,
                                         GError        **error);
/* The SQL that takes a database from version @from to @from + 1 (tests
 * build databases of every earlier version with it). */
const char   *wl_store_schema_get_step  (int             from);

/* wl-store.c */
/* A statement for @sql (a string literal or one the caller keeps),
 * prepared on first use and reset for this one. */
sqlite3_stmt *wl_store_prepare          (WlStore        *store,
                                         const char     *sql,
                                         GError        **error);
/* Steps @stmt to its end (no rows expected) and resets it. */
gboolean      wl_store_run              (WlStore        *store,
                                         sqlite3_stmt   *stmt,
                                         GError        **error);
gboolean      wl_store_exec             (WlStore        *store,
                                         const char     *sql,
                                         GError        **error);
/* Sets @error from the connection's last error, saying what was being
 * done (“record the run”) and what the user can do about it. */
gboolean      wl_store_fail             (WlStore        *store,
                                         int             code,
                                         GError        **error);
gboolean      wl_store_begin            (WlStore        *store,
                                         GError        **error);
gboolean      wl_store_commit           (WlStore        *store,
                                         GError        **error);
void          wl_store_rollback         (WlStore        *store);
/* NAN and infinities become NULL. */
void          wl_store_bind_double      (sqlite3_stmt   *stmt,
                                         int             index,
                                         double          value);
double        wl_store_column_double    (sqlite3_stmt   *stmt,
                                         int             index);
char         *wl_store_column_text      (sqlite3_stmt   *stmt,
                                         int             index);
/* Fails with “no run N” unless the run exists. */
gboolean      wl_store_check_run        (WlStore        *store,
                                         gint64          id,
                                         GError        **error);
/* Whether @pid of @host is a live process (this machine only; another
 * host's runs count as alive). */
gboolean      wl_store_process_alive    (const char     *host,
                                         gint64          pid);
char         *wl_store_get_run_dir      (WlStore        *store,
                                         gint64          id);

/* wl-store-write.c: the recorder's writes, inside its transactions. */
typedef struct
{
  const char *model;
  const char *config;
  const char *output;
  const char *dataset;
  gint64      dataset_size;
  const char *machine;
  const char *device;
} WlRunStart;

gint64        wl_store_insert_run       (WlStore           *store,
                                         const WlRunStart  *start,
                                         GError           **error);
/* What resuming from the last checkpoint @last keeps, the one rule of
 * wl_store_restart_run() and wl_store_get_history(): the epochs up to its
 * epoch and the rows recorded up to its time.  Without a checkpoint the run
 * starts over: no epoch, and a time before every row. */
static inline guint
wl_store_kept_epoch (const WlCheckpointRecord *last)
{
  return last != NULL ? last->epoch : 0;
}

static inline double
wl_store_kept_until (const WlCheckpointRecord *last)
{
  return last != NULL ? last->elapsed : -1.0;
}

/* Marks @id running again for a resume and drops what was recorded after
 * its last checkpoint @last (NULL: everything), the work that was lost. */
gboolean      wl_store_restart_run      (WlStore           *store,
                                         gint64             id,
                                         const WlCheckpointRecord *last,
                                         GError           **error);
gboolean      wl_store_insert_progress  (WlStore           *store,
                                         gint64             id,
                                         const WlProgressRecord *record,
                                         GError           **error);
gboolean      wl_store_insert_epoch     (WlStore           *store,
                                         gint64             id,
                                         const WlEpochRecord *record,
                                         guint              n_epochs,
                                         GError           **error);
gboolean      wl_store_insert_stage     (WlStore           *store,
                                         gint64             id,
                                         const WlStageRecord *record,
                                         GError           **error);
gboolean      wl_store_insert_sample    (WlStore           *store,
                                         gint64             id,
                                         const WlResourceSample *sample,
                                         GError           **error);
gboolean      wl_store_insert_message   (WlStore           *store,
                                         gint64             id,
                                         const WlMessageRecord *record,
                                         GError           **error);
/* Sets a text column of the run (@column is one of ours, never input). */
gboolean      wl_store_set_run_text     (WlStore           *store,
                                         gint64             id,
                                         const char        *column,
                                         const char        *value,
                                         GError           **error);
gboolean      wl_store_set_verdict      (WlStore           *store,
                                         gint64             id,
                                         const char        *verdict,
                                         GError           **error);
gboolean      wl_store_set_split        (WlStore           *store,
                                         gint64             id,
                                         guint64            n_train,
                                         guint64            n_valid,
                                         guint64            n_test,
                                         const char        *labels,
                                         GError           **error);
typedef struct
{
  WlRunState  state;
  const char *error;
  const char *evaluation;
  double      test_accuracy;
  double      test_macro_f1;
  guint       epochs_run;
  guint       best_epoch;
  double      best_metric;
} WlRunEnd;

gboolean      wl_store_end_run          (WlStore           *store,
                                         gint64             id,
                                         const WlRunEnd    *end,
                                         GError           **error);
/* @record->path is relative to the run's checkpoint folder here. */
gboolean      wl_store_set_checkpoint   (WlStore           *store,
                                         gint64             id,
                                         const WlCheckpointRecord *record,
                                         GError           **error);
gboolean      wl_store_drop_checkpoint  (WlStore           *store,
                                         gint64             id,
                                         WlCheckpointKind   kind,
                                         GError           **error);

/* wl-store-file.c */
/* Writes @bytes to @path through a temporary name, synced, renamed, and
 * the folder synced: a crash leaves the old file or the new one whole. */
gboolean      wl_store_write_file       (const char        *path,
                                         GBytes            *bytes,
                                         GError           **error);
/* Removes the run's checkpoint folder and its files. */
void          wl_store_remove_run_dir   (WlStore           *store,
                                         gint64             id);
/* Deletes what a crash may leave between a commit and the deletes after
 * it: the files of runs that are not running that no row points at, and
 * the folders of deleted runs. */
gboolean      wl_store_collect_garbage  (WlStore           *store,
                                         GError           **error);
/* Deletes the files of the run's checkpoint folder that no checkpoint row
 * points at (temporary files of a crashed write included). */
gboolean      wl_store_clean_checkpoints (WlStore          *store,
                                          gint64            id,
                                          GError          **error);

/* wl-store-hash.c: the dataset's identity. */
/* "xxh64:" and 16 hex digits of the file's bytes. */
char         *wl_store_hash_file        (const char        *path,
                                         GCancellable      *cancellable,
                                         GError           **error);
/* JSON: host, os, cpu, cores, memory_bytes; ranks and hosts (by rank) when distributed. */
char         *wl_store_describe_machine (void);

typedef enum
{
  WL_DATASET_SAME,      /* its size and bytes are those it trained on (or the run has none) */
  WL_DATASET_GONE,
  WL_DATASET_CHANGED,   /* its size or its bytes differ */
} WlDatasetCheck;

/* Whether @record's input file is still the one it trained on: its size,
 * then its XXH64 (a run interrupted before it was hashed: the size has to
 * do).  FALSE only when the file could not be read to hash it. */
gboolean      wl_store_check_dataset    (const WlRunRecord *record,
                                         WlDatasetCheck    *check,
                                         GCancellable      *cancellable,
                                         GError           **error);

G_END_DECLS
