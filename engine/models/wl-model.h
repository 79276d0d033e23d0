/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model.h: what every model provides, and the calls that dispatch to it.
 *
 * A model owns its features (a vocabulary, IDF weights, hashed n-grams…) and
 * its weights.  The trainer drives any model the same way:
 *
 *   model = wl_model_new (config, labels);
 *   wl_model_build (model, train docs)             learn features, init weights
 *   X = wl_model_featurize (model, docs)           per split
 *   for each epoch:
 *     wl_model_train_epoch (model, X, labels, ctx) one pass over the data
 *     wl_model_predict (model, X, i, probs)        validation
 *     wl_model_copy_weights (best, model)          keep the best epoch
 *
 * Settings left at 0 that a model sizes from the data (embedding-bag's
 * buckets and epochs) are filled in model->config by wl_model_build(): read
 * the number of epochs from model->config->model.epochs after building.
 *
 * Models never know who drives them (CLI, GUI, tests).
 */
#pragma once

#include <gio/gio.h>
#include <stdatomic.h>

#include <json-glib/json-glib.h>

#include "wl-config.h"
#include "compute/wl-backend.h"
#include "text/wl-tokens.h"
#include "export/wl-model-io.h"
#include "export/wl-onnx.h"

G_BEGIN_DECLS

typedef struct _WlModel WlModel;
typedef struct _WlModelClass WlModelClass;
typedef struct _WlFeatures WlFeatures;   /* a model's view of documents */

/* A tensor as a model shows it for export.  WlDtype (WL_DTYPE_F32,
 * WL_DTYPE_F16, WL_DTYPE_I8…) is the compute backend's, from
 * compute/wl-backend.h: one enum for the engine. */
typedef struct {
  const char  *name;        /* stable, documented names: "embedding", "fc.weight", "fc.bias", "lstm.l0.fwd.w_ih"… */
  WlDtype      dtype;
  guint        n_dims;
  gint64       shape[4];
  const void  *data;        /* row-major, host memory, valid during the callback */
  const float *scales;      /* WL_DTYPE_I8 only: one fp32 scale per index along scale_axis; value = int8 * scale */
  guint        scale_axis;  /* 0: a scale per row; 1: per column */
} WlTensorView;
typedef void (*WlTensorFunc) (const WlTensorView *tensor, gpointer user_data);
void wl_model_foreach_tensor (WlModel *model, WlTensorFunc func, gpointer user_data);

/* How a model's weights are stored (the model file's header flags): a
 * model file with a bit this version does not know is refused. */
typedef enum
{
  WL_MODEL_STORAGE_INT8   = 1 << 0,   /* int8 rows with a fp32 scale each */
  WL_MODEL_STORAGE_PRUNED = 1 << 1,   /* only the rows that matter most */
} WlModelStorage;

#define WL_MODEL_STORAGE_ALL (WL_MODEL_STORAGE_INT8 | WL_MODEL_STORAGE_PRUNED)
/* The most of a model's rows that pruning may drop. */
#define WL_MODEL_MAX_SPARSITY 0.99

/* Called by a model during an epoch, from any of its threads, at most every
 * few milliseconds: @done examples of @total, @tokens processed since the
 * epoch started, and the running mean loss. */
typedef void (*WlEpochProgressFunc) (guint64  done,
                                     guint64  total,
                                     guint64  tokens,
                                     double   mean_loss,
                                     gpointer user_data);

/* One weight array of a model, for wl_model_average_weights(). */
typedef void (*WlWeightsFunc) (float    *data,
                               gsize     n,
                               gpointer  user_data);

/* Where the threads that train spend their time, in microseconds summed
 * over those threads, for the run's verdict (train/wl-verdict.h): waiting
 * for input (a window of features read back, a batch assembled), all of
 * it, and, on a backend that profiles its queue, the device's busy time
 * (device_measured then says so).  The models add to it as they go, at
 * most every few hundred examples; the trainer reads it at any time. */
typedef struct
{
  atomic_int_fast64_t  input_wait_us;
  atomic_int_fast64_t  inputs;         /* the windows or batches waited for */
  atomic_int_fast64_t  thread_us;
  atomic_int_fast64_t  device_busy_us;
  atomic_bool          device_measured;
} WlStepClock;

/* Adds a thread's @input_wait_us for @inputs pieces of input, of
 * @thread_us, to @clock (NULL: nothing). */
static inline void
wl_step_clock_add (WlStepClock *clock,
                   gint64       input_wait_us,
                   gint64       inputs,
                   gint64       thread_us)
{
  if (clock == NULL)
    return;
  atomic_fetch_add_explicit (&clock->input_wait_us, input_wait_us, memory_order_relaxed);
  atomic_fetch_add_explicit (&clock->inputs, inputs, memory_order_relaxed);
  atomic_fetch_add_explicit (&clock->thread_us, thread_us, memory_order_relaxed);
}

/* Test hook: microseconds that every piece of input prepared during
 * training (a window read back, a batch assembled) takes on top, from the
 * environment variable WORDLOOM_TEST_INPUT_DELAY_US; 0 when unset.  The
 * tests slow the input down with it to see the run read input-bound; it is
 * read each time a model asks (a window's read, an epoch's start). */
gulong      wl_model_test_input_delay_us (void);

typedef struct
{
  guint                epoch;        /* 0-based */
  guint                n_epochs;     /* for learning-rate schedules */
  /* SGD's rate falls linearly to 0 at the end of n_epochs (a run whose
   * length is known beforehand: the refit), else as lr / (1 + epochs
   * done) (early stopping may end it after any epoch); see wl-sgd.c. */
  gboolean             lr_to_zero;
  guint                n_threads;
  guint64              seed;
  GCancellable        *cancellable;  /* check it between batches */
  /* A distributed run (engine/dist): this process's rank of n_ranks (0
   * means 1: alone).  Every rank gets the whole training part and trains
   * on its share of each epoch's seeded order (see DESIGN.md). */
  guint                rank;
  guint                n_ranks;
  WlEpochProgressFunc  progress;
  gpointer             progress_data;
  WlStepClock         *clock;        /* may be NULL */
} WlTrainContext;

struct _WlModelClass
{
  WlModelType   type;
  const char   *name;

  /* Fills model defaults into config->model (epochs, lr, …). */
  void        (*resolve_config) (WlConfig           *config);
  WlModel    *(*create)         (const WlConfig     *config,
                                 guint               n_labels);
  void        (*free)           (WlModel            *model);

  gboolean    (*build)          (WlModel            *model,
                                 const WlTokenList  *docs,
                                 const guint32      *labels,
                                 gsize               n_docs,
                                 guint               n_threads,
                                 GError            **error);
  /* Optional, for training documents that come in windows: build_add
   * counts the next @n_docs of them, build_finish then does what build
   * does with the counts.  Consecutive windows give the model that build
   * gives on all the documents at once. */
  gboolean    (*build_add)      (WlModel            *model,
                                 const WlTokenList  *docs,
                                 gsize               n_docs,
                                 guint               n_threads,
                                 GError            **error);
  gboolean    (*build_finish)   (WlModel            *model,
                                 const guint32      *labels,
                                 gsize               n_docs,
                                 GError            **error);
  WlFeatures *(*featurize)      (const WlModel      *model,
                                 const WlTokenList  *docs,
                                 gsize               n_docs,
                                 guint               n_threads);
  void        (*features_free)  (WlFeatures         *features);

  /* Returns the mean training loss in @loss; FALSE on cancel or divergence. */
  gboolean    (*train_epoch)    (WlModel            *model,
                                 const WlFeatures   *features,
                                 const guint32      *labels,
                                 const WlTrainContext *ctx,
                                 double             *loss,
                                 GError            **error);
  /* Writes n_labels probabilities for document @i; thread-safe. */
  void        (*predict)        (const WlModel      *model,
                                 const WlFeatures   *features,
                                 gsize               i,
                                 float              *probs);
  /* @dst was created with the same config and built on the same data. */
  void        (*copy_weights)   (WlModel            *dst,
                                 const WlModel      *src);
  WlModel    *(*clone)          (const WlModel      *model);

  /* The model's own part of the model file (features and weights). */
  void        (*write)          (const WlModel      *model,
                                 WlModelWriter      *writer);
  WlModel    *(*read)           (const WlConfig     *config,
                                 guint               n_labels,
                                 WlModelReader      *reader,
                                 GError            **error);

  /* Optional: what training needs besides the weights to go on exactly
   * as it would have without a stop (the optimiser's moments, the loss
   * scale), for checkpoints.  write_state writes nothing before the model
   * trained; read_state is applied when training goes on. */
  gboolean    (*write_state)    (const WlModel      *model,
                                 WlModelWriter      *writer,
                                 GError            **error);
  gboolean    (*read_state)     (WlModel            *model,
                                 WlModelReader      *reader,
                                 GError            **error);

  /* Optional, for distributed training by parameter averaging (linear,
   * embedding-bag): every trained weight array, as floats the caller may
   * change.  A model without it syncs its gradients inside train_epoch. */
  void        (*foreach_weights) (WlModel           *model,
                                 WlWeightsFunc       func,
                                 gpointer            user_data);

  /* Optional: number of parameters, for inspect. */
  guint64     (*n_parameters)   (const WlModel      *model);
  /* Optional: the learning rate of the latest training steps (NAN before
   * training).  Called from the progress callback and between epochs. */
  double      (*get_lr)         (const WlModel      *model);

  /* Optional, for export: every tensor, in a stable order. */
  void        (*foreach_tensor) (WlModel            *model,
                                 WlTensorFunc        func,
                                 gpointer            user_data);
  /* Optional, for ONNX: the forward pass from the graph's inputs "ids"
   * [batch, length] and "lengths" [batch] (int64) to the probabilities
   * [batch, n_labels]; every tensor of foreach_tensor() is already in
   * @graph under its name.  Returns the value holding the probabilities. */
  const char *(*onnx_graph)     (const WlModel      *model,
                                 WlOnnxGraph        *graph);
  /* Optional: the ids the exported model takes for @doc, appended to @ids
   * (gint64); by default the ids of the model's own features. */
  void        (*export_ids)     (const WlModel      *model,
                                 const WlTokenList  *doc,
                                 GArray             *ids);
  /* The members of the preprocessing description that say how tokens
   * become ids (see docs/export.md), into an open object. */
  void        (*describe_ids)   (const WlModel      *model,
                                 JsonBuilder        *builder);
  /* Optional: how the weights are stored now (WlModelStorage bits). */
  guint32     (*storage)        (const WlModel      *model);
  /* Optional: drops the fraction @sparsity (checked) of the rows with the
   * smallest norms; the rest keep their values. */
  gboolean    (*prune)          (WlModel            *model,
                                 double              sparsity,
                                 GError            **error);
  /* Optional: turns the weights into int8 rows with a scale each;
   * prediction then runs on them.  Training is refused afterwards. */
  gboolean    (*quantize)       (WlModel            *model,
                                 GError            **error);
};

/* Every model starts with this. */
struct _WlModel
{
  const WlModelClass *klass;
  WlConfig           *config;    /* resolved; owned */
  guint               n_labels;
};

const WlModelClass *wl_model_class_for_type (WlModelType type);

WlModel    *wl_model_new            (const WlConfig     *config,
                                     guint               n_labels);
void        wl_model_free           (WlModel            *model);
gboolean    wl_model_build          (WlModel            *model,
                                     const WlTokenList  *docs,
                                     const guint32      *labels,
                                     gsize               n_docs,
                                     guint               n_threads,
                                     GError            **error);
WlFeatures *wl_model_featurize      (const WlModel      *model,
                                     const WlTokenList  *docs,
                                     gsize               n_docs,
                                     guint               n_threads);
/* Whether the model can be built from windows of documents
 * (wl_model_build_add, wl_model_build_finish) and keep its features on
 * disk (wl_model_features_new_on_disk, wl_model_featurize_more). */
gboolean    wl_model_type_builds_in_windows (WlModelType  type);
gboolean    wl_model_build_add      (WlModel            *model,
                                     const WlTokenList  *docs,
                                     gsize               n_docs,
                                     guint               n_threads,
                                     GError            **error);
gboolean    wl_model_build_finish   (WlModel            *model,
                                     const guint32      *labels,
                                     gsize               n_docs,
                                     GError            **error);
/* Empty features whose rows, appended with wl_model_featurize_more(), go
 * to a file (unlinked at once) in the user's cache folder; the trainer
 * and wl_model_predict_all() read them back @window rows at a time (per
 * thread). */
WlFeatures *wl_model_features_new_on_disk (const WlModel *model,
                                     gsize               window,
                                     GError            **error);
/* Appends the features of @docs to @features. */
gboolean    wl_model_featurize_more (const WlModel      *model,
                                     WlFeatures         *features,
                                     const WlTokenList  *docs,
                                     gsize               n_docs,
                                     guint               n_threads,
                                     GError            **error);
void        wl_model_features_free  (const WlModel      *model,
                                     WlFeatures         *features);
/* Whether @features are on disk (read back a window at a time). */
gboolean    wl_model_features_on_disk (const WlFeatures *features);
gboolean    wl_model_train_epoch    (WlModel            *model,
                                     const WlFeatures   *features,
                                     const guint32      *labels,
                                     const WlTrainContext *ctx,
                                     double             *loss,
                                     GError            **error);
void        wl_model_predict        (const WlModel      *model,
                                     const WlFeatures   *features,
                                     gsize               i,
                                     float              *probs);
/* Probabilities of every document of @features (n × n_labels) into @probs,
 * on @n_threads threads; FALSE only when cancelled. */
gboolean    wl_model_predict_all    (const WlModel      *model,
                                     const WlFeatures   *features,
                                     gsize               n,
                                     guint               n_threads,
                                     float              *probs,
                                     GCancellable       *cancellable,
                                     GError            **error);
void        wl_model_copy_weights   (WlModel            *dst,
                                     const WlModel      *src);
WlModel    *wl_model_clone          (const WlModel      *model);
guint64     wl_model_n_parameters   (const WlModel      *model);
/* The training state of @model (see WlModelClass.write_state) as bytes for
 * a checkpoint; NULL without an error when it has none (a model that keeps
 * no state besides its weights, or one that has not trained). */
GBytes     *wl_model_save_state     (const WlModel      *model,
                                     GError            **error);
/* Gives @model back the state of wl_model_save_state(), for its next
 * epochs; @name (the checkpoint's file) is for messages. */
gboolean    wl_model_restore_state  (WlModel            *model,
                                     GBytes             *state,
                                     const char         *name,
                                     GError            **error);
/* The learning rate of the latest training steps, for progress reports;
 * NAN before training or when the model does not say. */
double      wl_model_get_lr         (const WlModel      *model);

/* Distributed training (wl-model-dist.c): whether @model's ranks average
 * their weights after each pass (linear, embedding-bag; the neural models
 * sum their gradients at every step instead), and the averaging itself:
 * afterwards every rank holds the same weights. */
gboolean    wl_model_averages_weights (const WlModel    *model);
gboolean    wl_model_average_weights  (WlModel          *model,
                                       GError          **error);

/* WlModelStorage bits of @model (0: plain fp32 weights). */
guint32     wl_model_get_storage    (const WlModel      *model);
/* Prunes @model to @sparsity (in [0, WL_MODEL_MAX_SPARSITY]; anything
 * else is refused): see WlModelClass.prune.  Prune before quantising. */
gboolean    wl_model_prune          (WlModel            *model,
                                     double              sparsity,
                                     GError            **error);
gboolean    wl_model_quantize       (WlModel            *model,
                                     GError            **error);

/* Shared by models: fills @config's model defaults for its type. */
void        wl_model_resolve_config (WlConfig           *config);
/* The one resolver of what a run of @config cleans and tokenises with:
 * the model's defaults first (the recurrent models read ICU words), then
 * what suits @texts (a sample) for what is left on "auto".  The trainer
 * and the Clean page's preview both call it, so the preview shows the
 * tokens the run will use. */
void        wl_model_resolve_text_config (WlConfig           *config,
                                          const char * const *texts,
                                          gsize               n_texts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlModel, wl_model_free)

G_END_DECLS
