/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-recorder-private.h: what the recorder's writer, its checkpoints
 * and its event side share. */
#pragma once

#include "store/wl-run-recorder.h"
#include "store/wl-store-private.h"

G_BEGIN_DECLS

typedef gboolean (*WlRecorderWriteFunc) (WlRunRecorder  *self,
                                         gpointer        data,
                                         GError        **error);

typedef struct
{
  WlRecorderWriteFunc  func;
  gpointer             data;
  GDestroyNotify       free;
} WlRecorderOp;

/* Copies of the model on their way to checkpoint files (serialising them
 * is the writer's work, not the run's). */
typedef struct
{
  WlModel            *model;        /* the latest epoch's weights, or NULL */
  GBytes             *state;        /* its training state (optimiser…), or NULL */
  WlModel            *best;         /* the best epoch's when they are not those */
  WlCheckpointRecord  last;         /* path once written */
  WlCheckpointRecord  best_record;  /* epoch 0: the best checkpoint stays */
  double              copy_seconds; /* the copies took on the run's thread */
} WlRecorderPending;

struct _WlRunRecorder
{
  WlStore           *db;          /* ours: the writer thread's once started */
  WlRun             *run;
  gint64             id;
  double             offset;      /* where a resumed run's time goes on from */
  gint64             start_time;  /* monotonic, for samples */
  char              *hash_path;   /* the dataset to hash first, or NULL */

  GThread           *thread;
  GMutex             mutex;
  GCond              cond;
  GQueue             ops;         /* WlRecorderOp *; the rest under mutex too */
  gboolean           flush;
  gboolean           stop;
  GError            *error;       /* the first failure: nothing is written after it */
  WlRecorderStats    stats;

  /* Checkpoints */
  WlRecorderPending  pending;
  char             **labels;      /* of the model files, from the first */
  double             interval;    /* seconds between checkpoints; < 0: automatic */
  double             last_elapsed; /* the run's time at the latest checkpoint; 0 before */
  double             last_cost;   /* seconds of work it took (copies, writer CPU) */
  guint              best_written; /* epoch of the best checkpoint, written or on its way */
  guint              handed;      /* checkpoints handed to the writer… */
  guint              committed;   /* …and those of them it has written */
  GCond              written;     /* committed changed */
};

/* wl-run-recorder.c */
/* CPU time of the calling thread, in seconds. */
double   wl_recorder_thread_cpu_seconds   (void);
/* Queues @data for the writer, which writes it with @func in its next
 * batch (at once when @flush) and frees it with @free.  The _locked one
 * with the mutex held. */
void     wl_run_recorder_push             (WlRunRecorder       *self,
                                           WlRecorderWriteFunc  func,
                                           gpointer             data,
                                           GDestroyNotify       free,
                                           gboolean             flush);
void     wl_run_recorder_push_locked      (WlRunRecorder       *self,
                                           WlRecorderWriteFunc  func,
                                           gpointer             data,
                                           GDestroyNotify       free,
                                           gboolean             flush);

/* wl-run-recorder-checkpoint.c */
/* The run's checkpoint hook (WlCheckpointFunc). */
gboolean wl_run_recorder_on_checkpoint    (WlRun               *run,
                                           const WlCheckpoint  *checkpoint,
                                           gpointer             data,
                                           GError             **error);
/* The run's final model hook (WlFinalModelFunc), on the run's thread:
 * makes sure the best checkpoint holds the final model (its best epoch may
 * not have been checkpointed, and a refit model never is). */
void     wl_run_recorder_on_final_model   (WlRun               *run,
                                           const WlModel       *model,
                                           const char * const  *labels,
                                           guint                n_labels,
                                           gpointer             data);
/* The writer's part: the files before its transaction, the rows in it. */
gboolean wl_run_recorder_write_checkpoint_files (WlRunRecorder      *self,
                                                 WlRecorderPending  *pending,
                                                 GError            **error);
gboolean wl_run_recorder_write_checkpoint_rows  (WlRunRecorder      *self,
                                                 WlRecorderPending  *pending,
                                                 GError            **error);
gboolean wl_recorder_pending_has_work     (const WlRecorderPending *pending);
void     wl_recorder_pending_clear        (WlRecorderPending   *pending);

/* wl-run-recorder-events.c */
/* @config as JSON, its file paths made absolute (a resume may start in
 * another folder). */
char    *wl_run_recorder_config_to_json   (const WlConfig      *config);
/* The runs table's device: the id, and the device's name once the run
 * has resolved it: "opencl:0:1 (NAME)". */
char    *wl_run_recorder_describe_device  (const WlConfig      *config);

G_END_DECLS
