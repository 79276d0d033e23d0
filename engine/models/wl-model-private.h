/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-private.h: what the models share and the dispatcher does not show.
 *
 * Every model turns a document into one sparse row (feature ids, and for
 * weighted features their values), so WlFeatures is one CSR matrix for all
 * of them.  Training is per-example SGD spread over threads without locks
 * (Hogwild), with the same shuffling, learning-rate schedule, progress,
 * cancellation and divergence checks for every model.
 */
#pragma once

#include <stdatomic.h>

#include "wl-packed.h"
#include "models/wl-model.h"
#include "models/wl-vocab.h"

G_BEGIN_DECLS

/* Every model's default number of epochs: a generous maximum, not a
 * guess of what the data needs.  Early stopping on the validation part
 * (the config's patience) ends training, and the best epoch's weights are
 * kept (see train/wl-trainer.c). */
#define WL_MODEL_DEFAULT_MAX_EPOCHS 50

extern const WlModelClass wl_linear_class;
extern const WlModelClass wl_embedding_bag_class;

struct _WlFeatures
{
  gsize     n_docs;
  gsize    *offsets;   /* n_docs + 1; row i is offsets[i] .. offsets[i + 1] - 1 */
  guint32  *ids;
  float    *values;    /* NULL when every value is 1 */
  guint32  *n_tokens;  /* tokens of each document, for progress */
  /* On disk (wl-features-disk.c): offsets, ids, values and n_tokens are
   * NULL, the rows are in the unlinked file @fd; where each starts stays
   * in memory. */
  gboolean  on_disk;
  gboolean  weighted;  /* on disk: the rows have values */
  int       fd;
  WlPacked  starts;    /* on disk: n_docs + 1 byte offsets of the rows */
  gsize     window;    /* on disk: rows read back at once per thread */
};

/* Appends the row of document @doc to @ids (and @values when the features
 * are weighted); @scratch is the worker's own, for the callback's use. */
typedef void (*WlFeaturizeFunc) (const WlModel     *model,
                                 const WlTokenList *doc,
                                 GArray            *ids,
                                 GArray            *values,
                                 gpointer           scratch);

/* Builds the features of @docs on @n_threads threads, in document order.
 * @new_scratch/@free_scratch make per-worker scratch space (may be NULL).
 * Returns NULL when memory runs out. */
WlFeatures *wl_features_build          (const WlModel      *model,
                                        const WlTokenList  *docs,
                                        gsize               n_docs,
                                        guint               n_threads,
                                        gboolean            weighted,
                                        WlFeaturizeFunc     func,
                                        gpointer          (*new_scratch) (const WlModel *model),
                                        GDestroyNotify      free_scratch);
void        wl_features_free           (WlFeatures         *features);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlFeatures, wl_features_free)

/* Features whose rows go to an unlinked file in the user's cache folder
 * as they are appended (@more is in memory). */
WlFeatures *wl_features_new_on_disk    (gsize               window,
                                        GError            **error);
gboolean    wl_features_append_to_disk (WlFeatures         *features,
                                        const WlFeatures   *more,
                                        GError            **error);
/* Reads @n rows of on-disk @features into @window (in memory, its
 * buffers reused and grown): rows @rows[0 .. n - 1], or @first ..
 * @first + @n - 1 when @rows is NULL; window row k is the k-th of them. */
gboolean    wl_features_read_rows      (const WlFeatures   *features,
                                        const guint32      *rows,
                                        gsize               first,
                                        gsize               n,
                                        WlFeatures         *window,
                                        GError            **error);

static inline gsize
wl_features_row (const WlFeatures *features,
                 gsize             i,
                 const guint32   **ids,
                 const float     **values)
{
  *ids = features->ids + features->offsets[i];
  if (values != NULL)
    *values = features->values != NULL ? features->values + features->offsets[i] : NULL;
  return features->offsets[i + 1] - features->offsets[i];
}

/* Sets the fields every model starts with; @config must be resolved. */
void        wl_model_init              (WlModel            *model,
                                        const WlModelClass *klass,
                                        const WlConfig     *config,
                                        guint               n_labels);

/* Reads @n floats into a new array, checking first that the file holds
 * them, so that a corrupt count cannot make us allocate gigabytes. */
float      *wl_model_read_floats       (WlModelReader      *reader,
                                        guint64             n,
                                        GError            **error);

/* One SGD step on example @i with learning rate @lr; returns its loss. */
typedef double (*WlSgdStepFunc) (WlModel          *model,
                                 const WlFeatures *features,
                                 gsize             i,
                                 guint32           label,
                                 float             lr,
                                 gpointer          scratch);

/* One epoch of lock-free SGD: the examples are shuffled with ctx->seed +
 * ctx->epoch and each thread takes a slice; the learning rate falls
 * as lr / (1 + t), t the epochs done (see wl-sgd.c).  The threads store the rate
 * of their latest steps in *@lr_now every few hundred examples (for the
 * model's get_lr).  Fails with WL_ERROR_CANCELLED or WL_ERROR_DIVERGED. */
gboolean    wl_sgd_epoch               (WlModel            *model,
                                        const WlFeatures   *features,
                                        const guint32      *labels,
                                        const WlTrainContext *ctx,
                                        double              lr,
                                        _Atomic double     *lr_now,
                                        WlSgdStepFunc       step,
                                        gsize               scratch_size,
                                        double             *loss,
                                        GError            **error);

/* Turns @scores (n) into probabilities in place; returns -log p[@label]
 * (or 0 when @label is out of range). */
double      wl_softmax                 (float              *scores,
                                        guint               n,
                                        guint32             label);

/* ONNX graph pieces the models share (wl-model-export.c); each returns
 * the name of its result. */

/* bool [batch, length]: whether each position of "ids" is within its
 * row's "lengths". */
const char *wl_model_onnx_mask         (WlOnnxGraph        *graph);
/* bool [batch, steps]: steps [steps] (int64) < @lengths [batch]. */
const char *wl_model_onnx_steps_mask   (WlOnnxGraph        *graph,
                                        const char         *steps,
                                        const char         *lengths);
/* "ids" with 0 where @mask is false. */
const char *wl_model_onnx_safe_ids     (WlOnnxGraph        *graph,
                                        const char         *mask);
/* The rows of @table for "ids", zeros where @mask is false:
 * [batch, length, columns]. */
const char *wl_model_onnx_embed        (WlOnnxGraph        *graph,
                                        const char         *table,
                                        const char         *mask);
/* Σ over the length of @rows (masked) / max ("lengths", 1). */
const char *wl_model_onnx_mean         (WlOnnxGraph        *graph,
                                        const char         *rows);
/* @x · @weight + @bias. */
const char *wl_model_onnx_affine       (WlOnnxGraph        *graph,
                                        const char         *x,
                                        const char         *weight,
                                        const char         *bias);
const char *wl_model_onnx_softmax      (WlOnnxGraph        *graph,
                                        const char         *scores);
/* "vocabulary": the text of every entry, entry i having id @first_id + i. */
void        wl_model_describe_vocab    (const WlVocab      *vocab,
                                        guint32             first_id,
                                        JsonBuilder        *builder);

/* A small fast generator for shuffling and initialisation (splitmix64). */
static inline guint64
wl_rng_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Uniform in [-1, 1). */
static inline float
wl_rng_symmetric (guint64 *state)
{
  return (float) ((double) (wl_rng_next (state) >> 11) * (2.0 / 9007199254740992.0) - 1.0);
}

G_END_DECLS
