/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store.h: the run store, one SQLite database of every training run.
 *
 * The store lives in $WORDLOOM_STORE, else in
 * $XDG_DATA_HOME/wordloom/runs.sqlite; its checkpoints are files in a
 * "checkpoints" folder next to it.  It runs in WAL mode, so any number of
 * readers (the GUI, `wordloom-cli runs`) work while a run is recorded
 * (wl-run-recorder.h), each with its own WlStore.  Its schema is versioned
 * with PRAGMA user_version and migrated forward on open.
 *
 * A WlStore is one connection: use it from one thread at a time.
 */
#pragma once

#include <gio/gio.h>

#include "train/wl-event.h"

G_BEGIN_DECLS

typedef struct _WlStore WlStore;

typedef enum
{
  WL_RUN_STATE_RUNNING,
  WL_RUN_STATE_FINISHED,
  WL_RUN_STATE_FAILED,
  WL_RUN_STATE_CANCELLED,
  WL_RUN_STATE_INTERRUPTED,  /* its process ended without saying (crash, kill -9) */
} WlRunState;

typedef enum
{
  WL_CHECKPOINT_LAST,        /* the latest epoch: what resuming starts from */
  WL_CHECKPOINT_BEST,        /* the best epoch by the validation metric */
} WlCheckpointKind;

/* One run.  wl_store_list_runs() fills the fields up to tags; the rest
 * only wl_store_get_run().  Unknown numbers are NAN (doubles) or 0. */
typedef struct
{
  gint64      id;
  WlRunState  state;
  char       *model;
  char       *dataset;         /* the input file's path */
  gint64      started;         /* Unix time, seconds */
  gint64      finished;        /* 0 while it has not */
  guint       epochs_run;
  guint       n_epochs;
  guint       best_epoch;
  double      best_metric;     /* the validation value of @metric */
  char       *metric;          /* accuracy, macro-f1 or loss */
  double      test_accuracy;
  double      test_macro_f1;
  char       *notes;
  char      **tags;

  char       *config;          /* JSON, resolved once training starts */
  char       *output;          /* where the CLI saves the model; may be NULL */
  gint64      dataset_size;
  char       *dataset_hash;    /* "xxh64:…" of the file's bytes; NULL until known */
  guint64     n_train;
  guint64     n_valid;
  guint64     n_test;
  char       *labels;          /* JSON object: label → rows */
  char       *machine;         /* JSON: host, os, cpu, cores, memory_bytes */
  char       *device;
  char       *version;
  char       *error;           /* why it failed */
  char       *evaluation;      /* JSON of the test part (wl_evaluation_to_json()) */
  guint       attempts;        /* 1, plus one per resume */
  gint64      updated;
  char       *verdict;         /* JSON of the latest verdict (train/wl-verdict.h:
                                * wl_verdict_from_json()); NULL: none */
} WlRunRecord;

typedef struct
{
  guint    epoch;              /* 1-based */
  double   elapsed;            /* seconds since the run started, resumes included */
  double   train_loss;
  double   valid_loss;
  double   valid_accuracy;
  double   valid_macro_f1;
  double   tokens_per_s;
  double   lr;
  gboolean is_best;
} WlEpochRecord;

typedef struct
{
  double   elapsed;
  WlStage  stage;
  double   fraction;           /* of the stage; in training, of all the epochs */
  guint    epoch;              /* training only */
  double   train_loss;         /* running mean of the epoch */
  double   tokens_per_s;
  double   lr;
} WlProgressRecord;

typedef struct
{
  WlStage  stage;
  double   started;            /* elapsed when it started */
  double   seconds;
} WlStageRecord;

/* A resource sample: plain numbers, NAN or 0 when unknown. */
typedef struct
{
  double   elapsed;
  double   cpu_percent;        /* of one core: 200 = two cores busy */
  guint64  rss_bytes;
  double   gpu_percent;
  guint64  gpu_memory_bytes;
} WlResourceSample;

typedef struct
{
  double   elapsed;
  WlStage  stage;
  char    *text;
} WlMessageRecord;

typedef struct
{
  WlCheckpointKind kind;
  guint    epoch;
  char    *path;               /* absolute: a native model file (.wlm) */
  guint64  size;
  guint    best_epoch;         /* the trainer's state after @epoch */
  double   best_metric;
  guint    since_best;
  double   elapsed;
} WlCheckpointRecord;

/* $WORDLOOM_STORE, else $XDG_DATA_HOME/wordloom/runs.sqlite. */
char            *wl_store_get_default_path   (void);

/* Opens (creating the folder and the database when needed) and migrates
 * the schema; @path NULL: the default.  Runs left "running" by a process
 * of this machine that is gone are marked interrupted. */
WlStore         *wl_store_open               (const char        *path,
                                              GError           **error);
void             wl_store_close              (WlStore           *store);
const char      *wl_store_get_path           (WlStore           *store);

/* Newest first. */
GPtrArray       *wl_store_list_runs          (WlStore           *store,
                                              GError           **error);
WlRunRecord     *wl_store_get_run            (WlStore           *store,
                                              gint64             id,
                                              GError           **error);
void             wl_run_record_free          (WlRunRecord       *record);

/* In order of time.  WlEpochRecord, WlProgressRecord, WlStageRecord,
 * WlResourceSample; messages are WlMessageRecord * (freed with the array). */
GArray          *wl_store_get_epochs         (WlStore           *store,
                                              gint64             id,
                                              GError           **error);
GArray          *wl_store_get_progress       (WlStore           *store,
                                              gint64             id,
                                              GError           **error);
GArray          *wl_store_get_stages         (WlStore           *store,
                                              gint64             id,
                                              GError           **error);
GArray          *wl_store_get_samples        (WlStore           *store,
                                              gint64             id,
                                              GError           **error);
GPtrArray       *wl_store_get_messages       (WlStore           *store,
                                              gint64             id,
                                              GError           **error);

/* What resuming run @id from its last checkpoint @last (NULL: none) keeps
 * of it, as the WlEvent * it reported then, in order of time (stage starts
 * first and stage ends last at equal times): a front end's charts replay
 * them and go on.  The same rows that wl_store_restart_run() keeps; a stage
 * that was under way ends at the checkpoint.  Epoch and progress events
 * carry @n_epochs. */
GPtrArray       *wl_store_get_history        (WlStore           *store,
                                              gint64             id,
                                              guint              n_epochs,
                                              const WlCheckpointRecord *last,
                                              GError           **error);

/* NULL without an error when the run has no such checkpoint.  The best
 * one is what "Save model" and "Export" use. */
WlCheckpointRecord *wl_store_get_checkpoint  (WlStore           *store,
                                              gint64             id,
                                              WlCheckpointKind   kind,
                                              GError           **error);
void             wl_checkpoint_record_free   (WlCheckpointRecord *record);

gboolean         wl_store_set_notes          (WlStore           *store,
                                              gint64             id,
                                              const char        *notes,
                                              GError           **error);
gboolean         wl_store_add_tag            (WlStore           *store,
                                              gint64             id,
                                              const char        *tag,
                                              GError           **error);
gboolean         wl_store_remove_tag         (WlStore           *store,
                                              gint64             id,
                                              const char        *tag,
                                              GError           **error);
/* Removes the run, its rows and its checkpoint files.  A run that is
 * being recorded by a live process is refused. */
gboolean         wl_store_delete_run         (WlStore           *store,
                                              gint64             id,
                                              GError           **error);

/* "2 processes: vm × 2" for a run that trained on several processes (its
 * record's machine JSON has their ranks and hosts); NULL for one process.
 * The CLI's `runs show` and the Runs page both say it. */
char            *wl_run_describe_ranks       (const char        *machine_json);

const char      *wl_run_state_to_string      (WlRunState         state);
const char      *wl_checkpoint_kind_to_string (WlCheckpointKind  kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlStore, wl_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlRunRecord, wl_run_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCheckpointRecord, wl_checkpoint_record_free)

G_END_DECLS
