/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-embedding-bag.c: the `embedding-bag` model, in the manner of fastText.
 *
 * A document is the bag of its known words and of its word n-grams
 * (2 .. word_ngrams) hashed into `buckets` rows; its vector is the mean of
 * those rows of the input matrix, and a linear layer with a softmax on top
 * gives the label probabilities.  Word and n-gram hashes are fastText's:
 * FNV-1a 32 per token, h = h * 116049371 + next for n-grams.
 *
 * As in fastText, every document ends with the end-of-text token "</s>"
 * (fastText reads it at each line break): a word of its own, in the
 * vocabulary since every document has it, and the last token of the
 * n-grams.  Its row is part of the mean with weight 1 / (tokens + 1), so
 * the mean keeps a sign of the text's length (short texts lean towards
 * it), and the n-grams that end with it mark a text's last words; a plain
 * mean of the words has neither.  On sms, whose spam is long and whose ham
 * is short, it is worth half a point.  Models of format 2 and older were
 * trained without it and are read so.
 *
 * With buckets = 0 the number of rows for n-grams is sized from the data:
 * the next power of two at least four times the number of distinct n-grams
 * of the training documents (estimated with a HyperLogLog sketch, so
 * counting costs 4 KiB whatever the data), within MAX_AUTO_BUCKET_BYTES.
 * An n-gram shares its row with another with probability 1 - e^(-n/rows):
 * 39 % at twice, 22 % at four times.  On mr (85,000 n-grams), 131,072 rows
 * (the former 16 MB cap) gave 75.39 % and 524,288 rows 75.75 % (5 splits,
 * 4 runs each; fastText's 2 M rows, 75.43 %: past this, no gain).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"
#include "models/wl-compress.h"
#include "models/wl-embedding-bag-private.h"
#include "models/wl-vocab.h"

#define DEFAULT_LR           0.5
#define DEFAULT_DIM          32
#define DEFAULT_WORD_NGRAMS  2
#define DEFAULT_MIN_COUNT    1
/* Buckets sized from the data take at least 1024 rows and at most this
 * much memory (fastText's 2M buckets of 50 floats take 400 MB). */
#define MIN_AUTO_BUCKETS      (1u << 10)
#define MAX_AUTO_BUCKET_BYTES (64u << 20)
#define AUTO_BUCKETS_PER_NGRAM 4.0
#define NGRAM_PRIME          G_GUINT64_CONSTANT (116049371)
#define EOS_TOKEN            "</s>"
#define EOS_FORMAT           4      /* the first model file format with it */
#define HLL_BITS             12

typedef struct
{
  GArray *h32;          /* guint32 per token: for n-grams */
  GArray *h64;          /* guint64 per token: vocabulary keys */
  GArray *ngrams;       /* guint64 n-gram hashes */
  GArray *ids;          /* guint32 vocabulary ids of the tokens */
} Scratch;

/* Distinct n-gram counting (HyperLogLog) */

typedef struct Sketch
{
  guint8 registers[1 << HLL_BITS];
} Sketch;

static void
sketch_add (Sketch  *sketch,
            guint64  value)
{
  guint64 state = value;
  guint64 x = wl_rng_next (&state);   /* one splitmix64 round mixes the bits */
  guint index = x >> (64 - HLL_BITS);
  guint64 rest = (x << HLL_BITS) | (G_GUINT64_CONSTANT (1) << (HLL_BITS - 1));
  guint8 rank = 1;

  while ((rest & (G_GUINT64_CONSTANT (1) << 63)) == 0)
    {
      rest <<= 1;
      rank++;
    }
  sketch->registers[index] = MAX (sketch->registers[index], rank);
}

static void
sketch_merge (Sketch       *sketch,
              const Sketch *other)
{
  for (guint i = 0; i < (1 << HLL_BITS); i++)
    sketch->registers[i] = MAX (sketch->registers[i], other->registers[i]);
}

static double
sketch_estimate (const Sketch *sketch)
{
  const double m = 1 << HLL_BITS;
  double sum = 0.0, estimate;
  guint zeros = 0;

  for (guint i = 0; i < (1 << HLL_BITS); i++)
    {
      sum += ldexp (1.0, -sketch->registers[i]);
      zeros += sketch->registers[i] == 0;
    }
  estimate = 0.7213 / (1.0 + 1.079 / m) * m * m / sum;
  if (estimate <= 2.5 * m && zeros > 0)
    estimate = m * log (m / zeros);
  return estimate;
}

/* Features */

static gpointer
scratch_new (const WlModel *model)
{
  Scratch *scratch = g_new0 (Scratch, 1);

  scratch->h32 = g_array_new (FALSE, FALSE, sizeof (guint32));
  scratch->h64 = g_array_new (FALSE, FALSE, sizeof (guint64));
  scratch->ngrams = g_array_new (FALSE, FALSE, sizeof (guint64));
  scratch->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  return scratch;
}

static void
scratch_free (gpointer data)
{
  Scratch *scratch = data;

  g_array_unref (scratch->h32);
  g_array_unref (scratch->h64);
  g_array_unref (scratch->ngrams);
  g_array_unref (scratch->ids);
  g_free (scratch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scratch, scratch_free)

/* The text of token @index of @doc, the end-of-text token after its last. */
static const char *
token_at (const WlTokenList *doc,
          guint32            index)
{
  return index < doc->n_tokens ? wl_token_list_get (doc, index) : EOS_TOKEN;
}

/* Hashes the tokens of @doc (and the end-of-text token when @eos), and
 * its word n-grams of 2 .. @max_n tokens into scratch->ngrams. */
static void
hash_doc (const WlTokenList *doc,
          gboolean           eos,
          guint              max_n,
          Scratch           *scratch)
{
  guint32 n = doc->n_tokens + (eos ? 1 : 0);
  const guint32 *h32;

  g_array_set_size (scratch->h32, n);
  g_array_set_size (scratch->h64, n);
  for (guint32 t = 0; t < n; t++)
    wl_hash_token (token_at (doc, t),
                   &g_array_index (scratch->h32, guint32, t),
                   &g_array_index (scratch->h64, guint64, t));

  g_array_set_size (scratch->ngrams, 0);
  h32 = (const guint32 *) scratch->h32->data;
  for (guint32 t = 0; t < n; t++)
    {
      guint64 hash = h32[t];

      for (guint32 u = t + 1; u < n && u < t + max_n; u++)
        {
          hash = hash * NGRAM_PRIME + h32[u];
          g_array_append_val (scratch->ngrams, hash);
        }
    }
}

static void
featurize_doc (const WlModel     *model,
               const WlTokenList *doc,
               GArray            *ids,
               GArray            *values,
               gpointer           data)
{
  const WlEmbeddingBag *self = (const WlEmbeddingBag *) model;
  Scratch *scratch = data;
  const guint32 *found;
  const guint64 *ngrams;
  guint32 *row;
  guint n = ids->len;

  hash_doc (doc, self->eos, self->buckets > 0 ? model->config->model.word_ngrams : 1, scratch);
  g_array_set_size (scratch->ids, scratch->h64->len);
  wl_vocab_lookup_many (self->vocab, (const guint64 *) scratch->h64->data, scratch->h64->len,
                        (guint32 *) scratch->ids->data);

  /* Room for every token and n-gram; the unknown tokens are left out. */
  g_array_set_size (ids, n + scratch->ids->len + scratch->ngrams->len);
  row = (guint32 *) ids->data;
  found = (const guint32 *) scratch->ids->data;
  ngrams = (const guint64 *) scratch->ngrams->data;
  for (guint32 t = 0; t < scratch->ids->len; t++)
    if (found[t] != WL_VOCAB_NONE)
      row[n++] = found[t];
  for (guint j = 0; j < scratch->ngrams->len; j++)
    {
      guint32 bucket = (guint32) (ngrams[j] % self->buckets);

      if (self->bucket_rows == NULL)
        row[n++] = self->n_words + bucket;
      else if (self->bucket_rows[bucket] != WL_VOCAB_NONE)
        row[n++] = self->n_words + self->bucket_rows[bucket];
    }
  g_array_set_size (ids, n);
}

static WlFeatures *
embedding_bag_featurize (const WlModel     *model,
                         const WlTokenList *docs,
                         gsize              n_docs,
                         guint              n_threads)
{
  g_return_val_if_fail (((const WlEmbeddingBag *) model)->vocab != NULL, NULL);

  return wl_features_build (model, docs, n_docs, n_threads, FALSE,
                            featurize_doc, scratch_new, scratch_free);
}

/* Building */

typedef struct
{
  WlEmbeddingBag *self;
  Sketch         *sketches;   /* one per part */
} CountJob;

/* The text of token @index of a document (a WlVocabTextFunc). */
static void
token_text (gsize     index,
            GString  *out,
            gpointer  doc)
{
  g_string_append (out, token_at (doc, (guint32) index));
}

/* Counts in how many of @docs each word occurs and sketches their n-grams
 * (a WlVocabCountFunc). */
static gboolean
count_words (const WlTokenList *docs,
             gsize              n_docs,
             guint              part,
             WlVocab           *vocab,
             gpointer           data)
{
  CountJob *job = data;
  guint max_n = job->self->parent.config->model.word_ngrams;
  g_autoptr(Scratch) scratch = scratch_new (&job->self->parent);
  Sketch *sketch = &job->sketches[part];

  for (gsize d = 0; d < n_docs; d++)
    {
      const WlTokenList *doc = &docs[d];

      hash_doc (doc, job->self->eos, max_n, scratch);
      if (!wl_vocab_count_keys (vocab, (const guint64 *) scratch->h64->data, scratch->h64->len, d,
                                token_text, (gpointer) doc))
        return FALSE;
      for (guint j = 0; j < scratch->ngrams->len; j++)
        sketch_add (sketch, g_array_index (scratch->ngrams, guint64, j));
    }
  return TRUE;
}

static guint32
auto_buckets (double n_ngrams,
              guint  dim)
{
  guint32 buckets = MIN_AUTO_BUCKETS;

  while (buckets < AUTO_BUCKETS_PER_NGRAM * n_ngrams &&
         (guint64) buckets * 2 * dim * sizeof (float) <= MAX_AUTO_BUCKET_BYTES)
    buckets *= 2;
  return buckets;
}

/* What building does once the words are counted and the n-grams
 * sketched: sizes and initialises the model. */
static gboolean
finish_build (WlEmbeddingBag  *self,
              const Sketch    *sketch,
              const guint32   *labels,
              gsize            n_docs,
              GError         **error)
{
  WlModel *model = &self->parent;
  WlModelConfig *m = &model->config->model;
  guint K = model->n_labels;
  g_autofree double *priors = g_new0 (double, K);
  guint64 state = model->config->data.seed;
  gsize size;

  self->n_words = wl_vocab_size (self->vocab);
  if (m->word_ngrams < 2)
    m->buckets = 0;
  else if (m->buckets == 0)
    m->buckets = auto_buckets (sketch_estimate (sketch), self->dim);
  self->buckets = m->buckets;
  self->n_bucket_rows = m->buckets;
  if (wl_embedding_bag_n_rows (self) == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
                   _("no word occurs %u or more times in the training documents: lower "
                     "min_count or check the cleaning settings"), m->min_count);
      return FALSE;
    }
  if (wl_embedding_bag_n_rows (self) > G_MAXUINT32)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%zu words and buckets are too many: lower buckets "
                     "or raise min_count"), wl_embedding_bag_n_rows (self));
      return FALSE;
    }

  size = wl_embedding_bag_n_rows (self) * self->dim;
  self->input = g_try_new (float, size);
  if (self->input == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory for %zu embeddings of size %u: "
                     "lower buckets or dim"), wl_embedding_bag_n_rows (self), self->dim);
      return FALSE;
    }
  for (gsize i = 0; i < size; i++)
    self->input[i] = wl_rng_symmetric (&state) / self->dim;

  for (gsize d = 0; d < n_docs; d++)
    priors[labels[d]] += 1.0;
  for (guint k = 0; k < K; k++)
    self->bias[k] = (float) log ((priors[k] + 1.0) / (n_docs + K));
  return TRUE;
}

static const char *no_memory_for_vocab = N_("not enough memory for the vocabulary: raise min_count");

static gboolean
embedding_bag_build (WlModel            *model,
                     const WlTokenList  *docs,
                     const guint32      *labels,
                     gsize               n_docs,
                     guint               n_threads,
                     GError            **error)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;
  guint n_parts = wl_parallel_resolve_threads (n_threads);
  g_autofree Sketch *sketches = g_new0 (Sketch, n_parts);
  CountJob job = { self, sketches };

  g_return_val_if_fail (self->vocab == NULL, FALSE);

  self->vocab = wl_vocab_count_pruned (docs, n_docs, n_threads, model->config->model.min_count,
                                       count_words, &job);
  for (guint p = 1; p < n_parts; p++)
    sketch_merge (&sketches[0], &sketches[p]);
  if (self->vocab == NULL)
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_FAILED, _(no_memory_for_vocab));
      return FALSE;
    }
  return finish_build (self, &sketches[0], labels, n_docs, error);
}

/* Counts one window of the training documents into the vocabulary (kept
 * whole until build_finish prunes it) and the n-gram sketch. */
static gboolean
embedding_bag_build_add (WlModel            *model,
                         const WlTokenList  *docs,
                         gsize               n_docs,
                         guint               n_threads,
                         GError            **error)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;
  guint n_parts = wl_parallel_resolve_threads (n_threads);
  g_autofree Sketch *sketches = g_new0 (Sketch, n_parts);
  CountJob job = { self, sketches };
  g_autoptr(WlVocab) window = NULL;

  g_return_val_if_fail (self->input == NULL, FALSE);

  if (self->vocab == NULL)
    {
      self->vocab = wl_vocab_new ();
      self->ngram_sketch = g_new0 (Sketch, 1);
    }
  window = wl_vocab_count (docs, n_docs, n_threads, count_words, &job);
  for (guint p = 0; p < n_parts; p++)
    sketch_merge (self->ngram_sketch, &sketches[p]);
  if (window == NULL || !wl_vocab_add (self->vocab, window))
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_FAILED, _(no_memory_for_vocab));
      return FALSE;
    }
  return TRUE;
}

static gboolean
embedding_bag_build_finish (WlModel        *model,
                            const guint32  *labels,
                            gsize           n_docs,
                            GError        **error)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;
  g_autofree Sketch *sketch = g_steal_pointer (&self->ngram_sketch);

  g_return_val_if_fail (self->vocab != NULL && sketch != NULL, FALSE);

  wl_vocab_prune (self->vocab, model->config->model.min_count);
  return finish_build (self, sketch, labels, n_docs, error);
}

/* Forward and backward */

/* The mean of the row's input vectors into @hidden; returns the row length. */
static gsize
bag_mean (const WlEmbeddingBag *self,
          const WlFeatures     *features,
          gsize                 i,
          const guint32       **ids,
          float                *hidden)
{
  guint dim = self->dim;
  gsize n = wl_features_row (features, i, ids, NULL);

  memset (hidden, 0, dim * sizeof (float));
  if (self->input_q != NULL)
    for (gsize j = 0; j < n; j++)
      {
        const gint8 *q = self->input_q + (gsize) (*ids)[j] * dim;
        float scale = self->input_scale[(*ids)[j]];

        for (guint d = 0; d < dim; d++)
          hidden[d] += scale * q[d];
      }
  else
    for (gsize j = 0; j < n; j++)
      {
        const float *v = self->input + (gsize) (*ids)[j] * dim;

        for (guint d = 0; d < dim; d++)
          hidden[d] += v[d];
      }
  if (n > 1)
    for (guint d = 0; d < dim; d++)
      hidden[d] /= n;
  return n;
}

static void
output_scores (const WlEmbeddingBag *self,
               const float          *hidden,
               float                *scores)
{
  guint dim = self->dim;

  for (guint k = 0; k < self->parent.n_labels; k++)
    {
      const float *w = self->output + (gsize) k * dim;
      float s = self->bias[k];

      for (guint d = 0; d < dim; d++)
        s += w[d] * hidden[d];
      scores[k] = s;
    }
}

/* Scratch of a step: hidden (dim), grad (dim), scores (n_labels). */
static double
embedding_bag_step (WlModel          *model,
                    const WlFeatures *features,
                    gsize             i,
                    guint32           label,
                    float             lr,
                    gpointer          data)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;
  guint dim = self->dim, K = model->n_labels;
  float *hidden = data, *grad = hidden + dim, *scores = grad + dim;
  const guint32 *ids;
  gsize n = bag_mean (self, features, i, &ids, hidden);
  double loss;

  output_scores (self, hidden, scores);
  loss = wl_softmax (scores, K, label);

  memset (grad, 0, dim * sizeof (float));
  for (guint k = 0; k < K; k++)
    {
      float alpha = lr * ((k == label ? 1.f : 0.f) - scores[k]);
      float *w = self->output + (gsize) k * dim;

      for (guint d = 0; d < dim; d++)
        {
          grad[d] += alpha * w[d];
          w[d] += alpha * hidden[d];
        }
      self->bias[k] += alpha;
    }

  if (n > 1)
    for (guint d = 0; d < dim; d++)
      grad[d] /= n;
  for (gsize j = 0; j < n; j++)
    {
      float *v = self->input + (gsize) ids[j] * dim;

      for (guint d = 0; d < dim; d++)
        v[d] += grad[d];
    }
  return loss;
}

static gboolean
embedding_bag_train_epoch (WlModel              *model,
                           const WlFeatures     *features,
                           const guint32        *labels,
                           const WlTrainContext *ctx,
                           double               *loss,
                           GError              **error)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;

  if (self->input == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("an int8 model cannot be trained: fine-tune the fp32 model, "
                     "then quantise it"));
      return FALSE;
    }
  return wl_sgd_epoch (model, features, labels, ctx, model->config->model.lr,
                       &self->lr,
                       embedding_bag_step,
                       (2 * self->dim + model->n_labels) * sizeof (float), loss, error);
}

/* Distributed training averages these after each pass. */
static void
embedding_bag_foreach_weights (WlModel       *model,
                               WlWeightsFunc  func,
                               gpointer       user_data)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;

  func (self->input, wl_embedding_bag_n_rows (self) * self->dim, user_data);
  func (self->output, (gsize) model->n_labels * self->dim, user_data);
  func (self->bias, model->n_labels, user_data);
}

static void
embedding_bag_predict (const WlModel    *model,
                       const WlFeatures *features,
                       gsize             i,
                       float            *probs)
{
  const WlEmbeddingBag *self = (const WlEmbeddingBag *) model;
  float stack[256];
  float *hidden = self->dim <= G_N_ELEMENTS (stack) ? stack : g_new (float, self->dim);
  const guint32 *ids;

  bag_mean (self, features, i, &ids, hidden);
  output_scores (self, hidden, probs);
  wl_softmax (probs, model->n_labels, G_MAXUINT32);
  if (hidden != stack)
    g_free (hidden);
}

void
wl_embedding_bag_get_weights (WlModel               *model,
                              WlEmbeddingBagWeights *weights)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;

  weights->n_rows = (guint32) wl_embedding_bag_n_rows (self);
  weights->dim = self->dim;
  weights->input = self->input;
  weights->output = self->output;
  weights->bias = self->bias;
}

double
wl_embedding_bag_loss_and_grad (const WlModel         *model,
                                const WlFeatures      *features,
                                const guint32         *labels,
                                gsize                  n,
                                WlEmbeddingBagWeights *grad)
{
  const WlEmbeddingBag *self = (const WlEmbeddingBag *) model;
  guint dim = self->dim, K = model->n_labels;
  g_autofree float *hidden = g_new (float, dim);
  g_autofree float *g_hidden = g_new (float, dim);
  g_autofree float *p = g_new (float, K);
  double total = 0.0;

  memset (grad->input, 0, wl_embedding_bag_n_rows (self) * dim * sizeof (float));
  memset (grad->output, 0, (gsize) K * dim * sizeof (float));
  memset (grad->bias, 0, K * sizeof (float));
  for (gsize i = 0; i < n; i++)
    {
      const guint32 *ids;
      gsize len = bag_mean (self, features, i, &ids, hidden);

      output_scores (self, hidden, p);
      total += wl_softmax (p, K, labels[i]);
      p[labels[i]] -= 1.f;
      memset (g_hidden, 0, dim * sizeof (float));
      for (guint k = 0; k < K; k++)
        {
          for (guint d = 0; d < dim; d++)
            {
              g_hidden[d] += p[k] * self->output[(gsize) k * dim + d];
              grad->output[(gsize) k * dim + d] += p[k] * hidden[d] / n;
            }
          grad->bias[k] += p[k] / n;
        }
      for (gsize j = 0; j < len; j++)
        for (guint d = 0; d < dim; d++)
          grad->input[(gsize) ids[j] * dim + d] += g_hidden[d] / len / n;
    }
  return total / n;
}

/* Life cycle */

static void
embedding_bag_resolve_config (WlConfig *config)
{
  WlModelConfig *m = &config->model;

  /* buckets may stay 0: build sizes them from the data. */
  if (m->epochs == 0)
    m->epochs = WL_MODEL_DEFAULT_MAX_EPOCHS;
  if (m->lr == 0.0)
    m->lr = DEFAULT_LR;
  if (m->dim == 0)
    m->dim = DEFAULT_DIM;
  if (m->word_ngrams == 0)
    m->word_ngrams = DEFAULT_WORD_NGRAMS;
  if (m->min_count == 0)
    m->min_count = DEFAULT_MIN_COUNT;
}

static WlEmbeddingBag *
embedding_bag_alloc (const WlConfig *config,
                     guint           n_labels)
{
  WlEmbeddingBag *self = g_new0 (WlEmbeddingBag, 1);

  wl_model_init (&self->parent, &wl_embedding_bag_class, config, n_labels);
  atomic_init (&self->lr, NAN);
  self->dim = config->model.dim;
  self->output = g_new0 (float, (gsize) n_labels * self->dim);
  self->bias = g_new0 (float, n_labels);
  return self;
}

static WlModel *
embedding_bag_create (const WlConfig *config,
                      guint           n_labels)
{
  WlEmbeddingBag *self = embedding_bag_alloc (config, n_labels);

  self->eos = TRUE;
  return &self->parent;
}

static void
embedding_bag_free (WlModel *model)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;

  g_clear_pointer (&self->vocab, wl_vocab_unref);
  g_free (self->ngram_sketch);
  g_free (self->input);
  g_free (self->input_q);
  g_free (self->input_scale);
  g_free (self->bucket_rows);
  g_free (self->output);
  g_free (self->bias);
  g_free (self);
}

static void
embedding_bag_copy_weights (WlModel       *dst,
                            const WlModel *src)
{
  WlEmbeddingBag *d = (WlEmbeddingBag *) dst;
  const WlEmbeddingBag *s = (const WlEmbeddingBag *) src;

  g_return_if_fail (wl_embedding_bag_n_rows (d) == wl_embedding_bag_n_rows (s) && d->dim == s->dim);
  g_return_if_fail (d->input != NULL && s->input != NULL);

  memcpy (d->input, s->input, wl_embedding_bag_n_rows (s) * s->dim * sizeof (float));
  memcpy (d->output, s->output, (gsize) src->n_labels * s->dim * sizeof (float));
  memcpy (d->bias, s->bias, src->n_labels * sizeof (float));
}

static WlModel *
embedding_bag_clone (const WlModel *model)
{
  const WlEmbeddingBag *self = (const WlEmbeddingBag *) model;
  WlEmbeddingBag *copy = embedding_bag_alloc (model->config, model->n_labels);

  copy->eos = self->eos;
  copy->n_words = self->n_words;
  copy->buckets = self->buckets;
  copy->n_bucket_rows = self->n_bucket_rows;
  if (self->bucket_rows != NULL)
    copy->bucket_rows = g_memdup2 (self->bucket_rows, (gsize) self->buckets * sizeof (guint32));
  if (self->vocab != NULL)
    {
      gsize size = wl_embedding_bag_n_rows (self) * self->dim;

      copy->vocab = wl_vocab_ref (self->vocab);
      if (self->input != NULL)
        copy->input = g_memdup2 (self->input, size * sizeof (float));
      else
        {
          copy->input_q = g_memdup2 (self->input_q, size);
          copy->input_scale = g_memdup2 (self->input_scale,
                                         wl_embedding_bag_n_rows (self) * sizeof (float));
        }
    }
  memcpy (copy->output, self->output, (gsize) model->n_labels * self->dim * sizeof (float));
  memcpy (copy->bias, self->bias, model->n_labels * sizeof (float));
  return &copy->parent;
}

/* Payload: vocabulary (its texts only when pruned or int8), u32 buckets, u32 dim, the input rows (see
 * wl_embedding_bag_write_rows), output, biases, and from format 4 a u32
 * that says whether texts end with "</s>" (kept, so that an older model
 * saved again still reads its texts as it was trained). */
static void
embedding_bag_write (const WlModel *model,
                     WlModelWriter *writer)
{
  const WlEmbeddingBag *self = (const WlEmbeddingBag *) model;

  g_return_if_fail (self->vocab != NULL);

  /* A model made small for shipping packs its vocabulary. */
  if (wl_embedding_bag_storage (model) != 0)
    wl_vocab_write_packed (self->vocab, writer, NULL, NULL);
  else
    wl_vocab_write (self->vocab, writer);
  wl_model_writer_put_u32 (writer, self->buckets);
  wl_model_writer_put_u32 (writer, self->dim);
  wl_embedding_bag_write_rows (self, writer);
  wl_model_writer_put_f32s (writer, self->output, (gsize) model->n_labels * self->dim);
  wl_model_writer_put_f32s (writer, self->bias, model->n_labels);
  wl_model_writer_put_u32 (writer, self->eos ? 1 : 0);
}

static WlModel *
embedding_bag_read (const WlConfig  *config,
                    guint            n_labels,
                    WlModelReader   *reader,
                    GError         **error)
{
  g_autoptr(WlModel) model = embedding_bag_create (config, n_labels);
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;
  guint32 dim, eos = 0;

  /* Format 2's int8 and pruned files kept only the words' texts. */
  if (wl_compress_packs_vocab (reader))
    self->vocab = wl_vocab_read_packed (reader, NULL, NULL, error);
  else if (wl_model_reader_get_flags (reader) != 0)
    self->vocab = wl_vocab_read_texts (reader, error);
  else
    self->vocab = wl_vocab_read (reader, error);
  if (self->vocab == NULL ||
      !wl_model_reader_get_u32 (reader, &self->buckets, error) ||
      !wl_model_reader_get_u32 (reader, &dim, error))
    return NULL;
  self->n_words = wl_vocab_size (self->vocab);
  self->n_bucket_rows = self->buckets;
  if (dim != self->dim || wl_embedding_bag_n_rows (self) > G_MAXUINT32 ||
      (self->buckets > 0) != (config->model.word_ngrams > 1))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("the model file is corrupted (embeddings of size %u for %u buckets do "
                     "not match its settings)"), dim, self->buckets);
      return NULL;
    }
  if (!wl_embedding_bag_read_rows (self, reader, error) ||
      !wl_model_reader_get_weights (reader, self->output, (gsize) n_labels * dim, error) ||
      !wl_model_reader_get_weights (reader, self->bias, n_labels, error))
    return NULL;
  if (wl_model_reader_get_version (reader) >= EOS_FORMAT &&
      !wl_model_reader_get_u32 (reader, &eos, error))
    return NULL;
  if (eos > 1)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("the model file is corrupted (an end-of-text flag of %u)"), eos);
      return NULL;
    }
  self->eos = eos == 1;
  return g_steal_pointer (&model);
}

/* Export */

/* embedding [(words + buckets) × dim], fc.weight [K × dim], fc.bias [K]. */
/* The mean of the rows of the ids, then the output layer: bag_mean() and
 * output_scores(). */
static const char *
embedding_bag_onnx_graph (const WlModel *model,
                          WlOnnxGraph   *graph)
{
  const char *rows = wl_model_onnx_embed (graph, "embedding", wl_model_onnx_mask (graph));
  const char *scores = wl_onnx_graph_op (graph, "Gemm",
                                         WL_ONNX_IN (wl_model_onnx_mean (graph, rows), "fc.weight", "fc.bias"),
                                         WL_ONNX_ATTRS (WL_ONNX_INT ("transB", 1)));

  return wl_model_onnx_softmax (graph, scores);
}

static void
embedding_bag_describe_ids (const WlModel *model,
                            JsonBuilder   *builder)
{
  const WlEmbeddingBag *self = (const WlEmbeddingBag *) model;

  json_builder_set_member_name (builder, "ids");
  json_builder_add_string_value (builder, "words-and-hashed-ngrams");
  json_builder_set_member_name (builder, "word_ngrams");
  json_builder_add_int_value (builder, self->buckets > 0 ? model->config->model.word_ngrams : 1);
  json_builder_set_member_name (builder, "words");
  json_builder_add_int_value (builder, self->n_words);
  json_builder_set_member_name (builder, "buckets");
  json_builder_add_int_value (builder, self->buckets);
  json_builder_set_member_name (builder, "token_hash");
  json_builder_add_string_value (builder, "fnv1a32");
  json_builder_set_member_name (builder, "ngram_prime");
  json_builder_add_int_value (builder, NGRAM_PRIME);
  if (self->eos)
    {
      /* Appended to every text's tokens before the ids are computed. */
      json_builder_set_member_name (builder, "eos");
      json_builder_add_string_value (builder, EOS_TOKEN);
    }
  if (self->bucket_rows != NULL)
    {
      /* Pruned: only these buckets have rows, in this order after the words;
       * an n-gram hashed to another bucket is dropped. */
      json_builder_set_member_name (builder, "kept_buckets");
      json_builder_begin_array (builder);
      for (guint32 b = 0; b < self->buckets; b++)
        if (self->bucket_rows[b] != WL_VOCAB_NONE)
          json_builder_add_int_value (builder, b);
      json_builder_end_array (builder);
    }
  wl_model_describe_vocab (self->vocab, 0, builder);
}

static guint64
embedding_bag_n_parameters (const WlModel *model)
{
  const WlEmbeddingBag *self = (const WlEmbeddingBag *) model;

  return ((guint64) wl_embedding_bag_n_rows (self) + model->n_labels) * self->dim + model->n_labels;
}

static double
embedding_bag_get_lr (const WlModel *model)
{
  return atomic_load (&((WlEmbeddingBag *) model)->lr);
}

const WlModelClass wl_embedding_bag_class = {
  .type = WL_MODEL_EMBEDDING_BAG,
  .name = "embedding-bag",
  .resolve_config = embedding_bag_resolve_config,
  .create = embedding_bag_create,
  .free = embedding_bag_free,
  .build = embedding_bag_build,
  .build_add = embedding_bag_build_add,
  .build_finish = embedding_bag_build_finish,
  .featurize = embedding_bag_featurize,
  .features_free = wl_features_free,
  .train_epoch = embedding_bag_train_epoch,
  .predict = embedding_bag_predict,
  .copy_weights = embedding_bag_copy_weights,
  .clone = embedding_bag_clone,
  .write = embedding_bag_write,
  .read = embedding_bag_read,
  .n_parameters = embedding_bag_n_parameters,
  .get_lr = embedding_bag_get_lr,
  .foreach_tensor = wl_embedding_bag_foreach_tensor,
  .foreach_weights = embedding_bag_foreach_weights,
  .onnx_graph = embedding_bag_onnx_graph,
  .describe_ids = embedding_bag_describe_ids,
  .storage = wl_embedding_bag_storage,
  .prune = wl_embedding_bag_prune,
  .quantize = wl_embedding_bag_quantize,
};
