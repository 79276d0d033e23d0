/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-linear.c: the `linear` model, TF-IDF features and softmax regression.
 *
 * Features are the word n-grams (1 .. word_ngrams) of the training
 * documents found in at least min_count of them, and optionally the
 * character n-grams of each word padded with spaces ("char_wb" in
 * scikit-learn).  A document's row holds, for each feature, its term
 * frequency (1 + log tf when sublinear) times its smooth IDF
 * ln ((1 + n) / (1 + df)) + 1, and is scaled to unit length.
 *
 * Training is per-example SGD (see wl-sgd.c).  Each step also shrinks the
 * weights of the features the example contains by lr * l2: an L2 penalty
 * weighted by how often a feature occurs, which needs no pass over all the
 * weights and lets threads share them without locks.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-compress.h"
#include "models/wl-linear-private.h"

#define DEFAULT_LR           2.0
#define DEFAULT_L2           1e-5
#define DEFAULT_WORD_NGRAMS  2
#define DEFAULT_MIN_COUNT    2
#define CHAR_NGRAM_MIN       2
#define CHAR_NGRAM_MAX       5
#define MAX_NGRAM            16
/* Makes the keys of character n-grams differ from those of words. */
#define CHAR_KEY_TAG         G_GUINT64_CONSTANT (0x63686172676d7321)
/* 1 + log tf for the small counts is looked up rather than computed. */
#define N_LOG_TF             64


/* Where a feature comes from: tokens token .. token + len - 1 (a word
 * n-gram), or when start is not NO_START bytes start .. start + len - 1 of
 * the token padded with spaces (a character n-gram). */
typedef struct
{
  guint32 token;
  guint32 start;
  guint32 len;
} Span;

#define NO_START G_MAXUINT32

typedef struct
{
  const WlLinear *self;
  /* The keys of a document's features in order of occurrence, their ids
   * and (when building) their spans; room for `allocated` of each. */
  gsize           allocated;
  guint64        *keys;
  guint32        *found;
  Span           *spans;
  gsize           token_allocated;
  guint64        *hashes;   /* per token */
  GString        *word;     /* a word padded with spaces */
  GArray         *bounds;   /* guint32 byte offsets of its characters */
  /* Featurizing: the row being built as ids and counts (room for
   * `allocated`), and where each feature is in it (-1 when absent) so that
   * counting needs no sort. */
  guint32        *row_ids;
  guint32        *row_tf;
  gint32         *where;    /* n_features */
  double          tf_weight[N_LOG_TF];
} Scratch;

static gpointer
scratch_new (const WlModel *model)
{
  const WlLinear *self = (const WlLinear *) model;
  Scratch *scratch = g_new0 (Scratch, 1);

  scratch->self = self;
  scratch->word = g_string_new (NULL);
  scratch->bounds = g_array_new (FALSE, FALSE, sizeof (guint32));
  if (self->vocab != NULL)
    {
      scratch->where = g_new (gint32, MAX (self->n_features, 1));
      memset (scratch->where, 0xff, self->n_features * sizeof (gint32));
    }
  for (guint tf = 1; tf < N_LOG_TF; tf++)
    scratch->tf_weight[tf] = model->config->model.sublinear_tf ? 1.0 + log (tf) : tf;
  return scratch;
}

static void
scratch_free (gpointer data)
{
  Scratch *scratch = data;

  g_free (scratch->keys);
  g_free (scratch->found);
  g_free (scratch->spans);
  g_free (scratch->hashes);
  g_string_free (scratch->word, TRUE);
  g_array_unref (scratch->bounds);
  g_free (scratch->row_ids);
  g_free (scratch->row_tf);
  g_free (scratch->where);
  g_free (scratch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scratch, scratch_free)

/* Makes room for @n keys in all. */
static void
scratch_reserve (Scratch *scratch,
                 gsize    n)
{
  if (n <= scratch->allocated)
    return;

  scratch->allocated = MAX (n, 2 * scratch->allocated);
  scratch->keys = g_renew (guint64, scratch->keys, scratch->allocated);
  scratch->found = g_renew (guint32, scratch->found, scratch->allocated);
  scratch->spans = g_renew (Span, scratch->spans, scratch->allocated);
  scratch->row_ids = g_renew (guint32, scratch->row_ids, scratch->allocated);
  scratch->row_tf = g_renew (guint32, scratch->row_tf, scratch->allocated);
}

static guint64
hash_bytes (const char *s,
            gsize       len)
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) s[i]) * G_GUINT64_CONSTANT (1099511628211);
  return wl_hash_combine (CHAR_KEY_TAG, h);
}

/* Pads token @t of @doc with spaces into scratch->word and finds where its
 * characters start; returns the number of characters. */
static guint32
pad_word (const WlTokenList *doc,
          guint32            t,
          Scratch           *scratch)
{
  g_string_printf (scratch->word, " %s ", wl_token_list_get (doc, t));
  g_array_set_size (scratch->bounds, 0);
  for (const char *p = scratch->word->str; ; p = g_utf8_next_char (p))
    {
      guint32 offset = p - scratch->word->str;

      g_array_append_val (scratch->bounds, offset);
      if (*p == '\0')
        break;
    }
  return scratch->bounds->len - 1;
}

/* Appends the keys of the character n-grams of @doc from scratch->keys[@n]
 * on (and their spans when @spans); returns the new number of keys. */
static gsize
char_ngram_keys (const WlLinear    *self,
                 const WlTokenList *doc,
                 Scratch           *scratch,
                 gboolean           spans,
                 gsize              n)
{
  for (guint32 t = 0; t < doc->n_tokens; t++)
    {
      guint32 n_chars = pad_word (doc, t, scratch);
      const guint32 *bounds = (const guint32 *) scratch->bounds->data;
      gsize more = 0;

      for (guint len = self->char_min; len <= self->char_max && len <= n_chars; len++)
        more += n_chars - len + 1;
      scratch_reserve (scratch, n + more);
      for (guint len = self->char_min; len <= self->char_max && len <= n_chars; len++)
        for (guint32 c = 0; c + len <= n_chars; c++)
          {
            guint32 n_bytes = bounds[c + len] - bounds[c];

            scratch->keys[n] = hash_bytes (scratch->word->str + bounds[c], n_bytes);
            if (spans)
              scratch->spans[n] = (Span) { t, bounds[c], n_bytes };
            n++;
          }
    }
  return n;
}

/* Puts the keys of every feature occurrence of @doc, known or not, in
 * scratch->keys (and when @spans where they come from in scratch->spans);
 * returns how many there are. */
static gsize
doc_keys (const WlLinear    *self,
          const WlTokenList *doc,
          Scratch           *scratch,
          gboolean           spans)
{
  guint max_n = self->parent.config->model.word_ngrams;
  guint32 T = doc->n_tokens;
  gsize n = 0;

  if (T > scratch->token_allocated)
    {
      scratch->token_allocated = MAX (T, 2 * scratch->token_allocated);
      scratch->hashes = g_renew (guint64, scratch->hashes, scratch->token_allocated);
    }
  for (guint32 t = 0; t < T; t++)
    {
      guint32 h32;

      wl_hash_token (wl_token_list_get (doc, t), &h32, &scratch->hashes[t]);
    }

  /* Every token starts min (max_n, T - t) n-grams. */
  scratch_reserve (scratch, T >= max_n ? (gsize) T * max_n - max_n * (max_n - 1) / 2
                                       : (gsize) T * (T + 1) / 2);
  for (guint32 t = 0; t < T; t++)
    {
      guint64 key = scratch->hashes[t];
      guint last = MIN (max_n, T - t);

      for (guint len = 1; len <= last; len++)
        {
          if (len > 1)
            key = wl_hash_combine (key, scratch->hashes[t + len - 1]);
          scratch->keys[n] = key;
          if (spans)
            scratch->spans[n] = (Span) { t, NO_START, len };
          n++;
        }
    }

  if (self->parent.config->model.char_ngrams)
    n = char_ngram_keys (self, doc, scratch, spans, n);
  return n;
}

/* Building the vocabulary */

typedef struct
{
  const WlTokenList *doc;
  Scratch           *scratch;
} TextSource;

/* The text of a feature (a WlVocabTextFunc). */
static void
span_text (gsize     index,
           GString  *out,
           gpointer  data)
{
  TextSource *source = data;
  const WlTokenList *doc = source->doc;
  const Span *span = &source->scratch->spans[index];
  gsize lens[MAX_NGRAM], len = 0;
  char *p;

  if (span->start != NO_START)
    {
      pad_word (doc, span->token, source->scratch);
      g_string_append_len (out, source->scratch->word->str + span->start, span->len);
      return;
    }
  /* Word n-grams: the tokens with spaces between them, written at once. */
  for (guint32 i = 0; i < span->len; i++)
    {
      lens[i] = strlen (wl_token_list_get (doc, span->token + i));
      len += lens[i] + (i > 0);
    }
  g_string_set_size (out, out->len + len);
  p = out->str + out->len - len;
  for (guint32 i = 0; i < span->len; i++)
    {
      if (i > 0)
        *p++ = ' ';
      memcpy (p, wl_token_list_get (doc, span->token + i), lens[i]);
      p += lens[i];
    }
}

/* Counts in how many of @docs each feature occurs (a WlVocabCountFunc). */
static gboolean
count_features (const WlTokenList *docs,
                gsize              n_docs,
                guint              part,
                WlVocab           *vocab,
                gpointer           data)
{
  WlLinear *self = data;
  g_autoptr(Scratch) scratch = scratch_new (&self->parent);

  for (gsize d = 0; d < n_docs; d++)
    {
      TextSource source = { &docs[d], scratch };
      gsize n = doc_keys (self, &docs[d], scratch, TRUE);

      if (!wl_vocab_count_keys (vocab, scratch->keys, n, d, span_text, &source))
        return FALSE;
    }
  return TRUE;
}

/* What building does once the features are counted: the IDF weights
 * and the biases. */
static gboolean
finish_build (WlLinear       *self,
              const guint32  *labels,
              gsize           n_docs,
              GError        **error)
{
  WlModel *model = &self->parent;
  guint min_count = model->config->model.min_count;
  guint K = model->n_labels;
  g_autofree double *priors = g_new0 (double, K);

  self->n_features = wl_vocab_size (self->vocab);
  if (self->n_features == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
                   _("no feature occurs in %u or more training documents: lower min_count "
                     "or check the cleaning settings"), min_count);
      return FALSE;
    }

  self->idf = g_try_new (float, self->n_features);
  self->weights = g_try_new0 (float, (gsize) self->n_features * K);
  if (self->idf == NULL || self->weights == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory for %u features × %u labels: raise min_count"),
                   self->n_features, K);
      return FALSE;
    }
  for (guint32 f = 0; f < self->n_features; f++)
    self->idf[f] = wl_linear_idf (n_docs, wl_vocab_get_count (self->vocab, f));

  /* Start from the label priors: the first epoch need not learn them. */
  for (gsize d = 0; d < n_docs; d++)
    priors[labels[d]] += 1.0;
  for (guint k = 0; k < K; k++)
    self->bias[k] = (float) log ((priors[k] + 1.0) / (n_docs + K));
  return TRUE;
}

static gboolean
check_n_docs (gsize    n_docs,
              GError **error)
{
  if (n_docs < G_MAXUINT32)
    return TRUE;
  g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
               _("too many documents (%zu); the most is %u"), n_docs, G_MAXUINT32 - 1);
  return FALSE;
}

static const char *no_memory_for_vocab = N_("not enough memory for the vocabulary: raise min_count");

static gboolean
linear_build (WlModel            *model,
              const WlTokenList  *docs,
              const guint32      *labels,
              gsize               n_docs,
              guint               n_threads,
              GError            **error)
{
  WlLinear *self = (WlLinear *) model;

  g_return_val_if_fail (self->vocab == NULL, FALSE);

  if (!check_n_docs (n_docs, error))
    return FALSE;
  self->vocab = wl_vocab_count_pruned (docs, n_docs, n_threads, model->config->model.min_count,
                                       count_features, self);
  if (self->vocab == NULL)
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_FAILED, _(no_memory_for_vocab));
      return FALSE;
    }
  return finish_build (self, labels, n_docs, error);
}

/* Counts one window of the training documents into the vocabulary, kept
 * whole until build_finish prunes it. */
static gboolean
linear_build_add (WlModel            *model,
                  const WlTokenList  *docs,
                  gsize               n_docs,
                  guint               n_threads,
                  GError            **error)
{
  WlLinear *self = (WlLinear *) model;
  g_autoptr(WlVocab) window = NULL;

  g_return_val_if_fail (self->weights == NULL, FALSE);

  if (self->vocab == NULL)
    self->vocab = wl_vocab_new ();
  window = wl_vocab_count (docs, n_docs, n_threads, count_features, self);
  if (window == NULL || !wl_vocab_add (self->vocab, window))
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_FAILED, _(no_memory_for_vocab));
      return FALSE;
    }
  return TRUE;
}

static gboolean
linear_build_finish (WlModel        *model,
                     const guint32  *labels,
                     gsize           n_docs,
                     GError        **error)
{
  WlLinear *self = (WlLinear *) model;

  g_return_val_if_fail (self->vocab != NULL, FALSE);

  if (!check_n_docs (n_docs, error))
    return FALSE;
  wl_vocab_prune (self->vocab, model->config->model.min_count);
  return finish_build (self, labels, n_docs, error);
}

/* Featurizing */

/* Gathers the known features of @doc and how often each occurs into
 * scratch->row_ids and scratch->row_tf, in order of first occurrence;
 * returns how many there are. */
static gsize
gather_row (const WlLinear    *self,
            const WlTokenList *doc,
            Scratch           *scratch)
{
  gsize n = doc_keys (self, doc, scratch, FALSE);
  gint32 *where = scratch->where;
  gsize m = 0;

  wl_vocab_lookup_many (self->vocab, scratch->keys, n, scratch->found);
  for (gsize j = 0; j < n; j++)
    {
      guint32 id = scratch->found[j];

      if (id == WL_VOCAB_NONE)
        continue;
      if (where[id] < 0)
        {
          where[id] = m;
          scratch->row_ids[m] = id;
          scratch->row_tf[m] = 1;
          m++;
        }
      else
        scratch->row_tf[where[id]]++;
    }
  return m;
}

static void
featurize_doc (const WlModel     *model,
               const WlTokenList *doc,
               GArray            *ids,
               GArray            *values,
               gpointer           data)
{
  const WlLinear *self = (const WlLinear *) model;
  gboolean sublinear = model->config->model.sublinear_tf;
  Scratch *scratch = data;
  gsize m = gather_row (self, doc, scratch);
  gsize first = values->len;
  double norm = 0.0;
  float *v, scale;

  g_array_append_vals (ids, scratch->row_ids, m);
  if (m == 0)
    return;   /* no known word: an empty row (and an empty array may have no storage) */
  g_array_set_size (values, first + m);
  v = &g_array_index (values, float, first);
  for (gsize j = 0; j < m; j++)
    {
      guint32 id = scratch->row_ids[j];
      guint32 tf = scratch->row_tf[j];

      double weight = tf < N_LOG_TF ? scratch->tf_weight[tf] : sublinear ? 1.0 + log (tf) : tf;

      v[j] = (float) (weight * self->idf[id]);
      norm += (double) v[j] * v[j];
      scratch->where[id] = -1;
    }
  scale = norm > 0.0 ? (float) (1.0 / sqrt (norm)) : 0.f;
  for (gsize j = 0; j < m; j++)
    v[j] *= scale;
}

static WlFeatures *
linear_featurize (const WlModel     *model,
                  const WlTokenList *docs,
                  gsize              n_docs,
                  guint              n_threads)
{
  g_return_val_if_fail (((const WlLinear *) model)->vocab != NULL, NULL);

  return wl_features_build (model, docs, n_docs, n_threads, TRUE,
                            featurize_doc, scratch_new, scratch_free);
}

/* Scores and training */

/* Adds row @ids/@values times the weights to @scores.  Inlined with @K a
 * constant for two labels, the common case: the loop over the labels then
 * unrolls and the scores stay in registers (the sums are the same). */
static G_ALWAYS_INLINE inline void
add_row_scores (const float *restrict weights,
                guint                 K,
                const guint32        *ids,
                const float          *values,
                gsize                 n,
                float       *restrict scores)
{
  for (gsize j = 0; j < n; j++)
    {
      const float *w = weights + (gsize) ids[j] * K;

      for (guint k = 0; k < K; k++)
        scores[k] += values[j] * w[k];
    }
}

/* The same from int8 rows (a quantised model), with one scale per row
 * when @row_scale is not NULL (format 2 files); a scale per label is the
 * caller's to apply to the sums. */
static G_ALWAYS_INLINE inline void
add_row_scores_q (const gint8 *restrict q,
                  const float *restrict row_scale,
                  guint                 K,
                  const guint32        *ids,
                  const float          *values,
                  gsize                 n,
                  float       *restrict scores)
{
  for (gsize j = 0; j < n; j++)
    {
      const gint8 *w = q + (gsize) ids[j] * K;
      float v = row_scale != NULL ? values[j] * row_scale[ids[j]] : values[j];

      for (guint k = 0; k < K; k++)
        scores[k] += v * w[k];
    }
}

/* Shrinks the weights of the row's features by @decay and moves them
 * against the gradient @g (inlined like add_row_scores()). */
static G_ALWAYS_INLINE inline void
update_row (float       *restrict weights,
            guint                 K,
            const guint32        *ids,
            const float          *values,
            gsize                 n,
            float                 decay,
            const float *restrict g)
{
  for (gsize j = 0; j < n; j++)
    {
      float *w = weights + (gsize) ids[j] * K;

      for (guint k = 0; k < K; k++)
        w[k] = w[k] * decay - g[k] * values[j];
    }
}

static void
linear_scores (const WlLinear   *self,
               const WlFeatures *features,
               gsize             i,
               float            *scores)
{
  guint K = self->parent.n_labels;
  const guint32 *ids;
  const float *values;
  gsize n = wl_features_row (features, i, &ids, &values);

  if (self->weights_q != NULL && self->scale_per_label)
    {
      memset (scores, 0, K * sizeof (float));
      if (K == 2)
        add_row_scores_q (self->weights_q, NULL, 2, ids, values, n, scores);
      else
        add_row_scores_q (self->weights_q, NULL, K, ids, values, n, scores);
      for (guint k = 0; k < K; k++)
        scores[k] = scores[k] * self->weight_scale[k] + self->bias[k];
      return;
    }
  memcpy (scores, self->bias, K * sizeof (float));
  if (self->weights_q != NULL && K == 2)
    add_row_scores_q (self->weights_q, self->weight_scale, 2, ids, values, n, scores);
  else if (self->weights_q != NULL)
    add_row_scores_q (self->weights_q, self->weight_scale, K, ids, values, n, scores);
  else if (K == 2)
    add_row_scores (self->weights, 2, ids, values, n, scores);
  else
    add_row_scores (self->weights, K, ids, values, n, scores);
}

static double
linear_step (WlModel          *model,
             const WlFeatures *features,
             gsize             i,
             guint32           label,
             float             lr,
             gpointer          data)
{
  WlLinear *self = (WlLinear *) model;
  guint K = model->n_labels;
  float decay = 1.f - lr * (float) model->config->model.l2;
  float *g = data;
  const guint32 *ids;
  const float *values;
  gsize n = wl_features_row (features, i, &ids, &values);
  double loss;

  linear_scores (self, features, i, g);
  loss = wl_softmax (g, K, label);
  g[label] -= 1.f;
  for (guint k = 0; k < K; k++)
    g[k] *= lr;

  if (K == 2)
    update_row (self->weights, 2, ids, values, n, decay, g);
  else
    update_row (self->weights, K, ids, values, n, decay, g);
  for (guint k = 0; k < K; k++)
    self->bias[k] -= g[k];
  return loss;
}

static gboolean
linear_train_epoch (WlModel              *model,
                    const WlFeatures     *features,
                    const guint32        *labels,
                    const WlTrainContext *ctx,
                    double               *loss,
                    GError              **error)
{
  if (((WlLinear *) model)->weights == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("an int8 model cannot be trained: fine-tune the fp32 model, "
                     "then quantise it"));
      return FALSE;
    }
  return wl_sgd_epoch (model, features, labels, ctx, model->config->model.lr,
                       &((WlLinear *) model)->lr,
                       linear_step, model->n_labels * sizeof (float), loss, error);
}

/* Distributed training averages these after each pass. */
static void
linear_foreach_weights (WlModel       *model,
                        WlWeightsFunc  func,
                        gpointer       user_data)
{
  WlLinear *self = (WlLinear *) model;

  func (self->weights, (gsize) self->n_features * model->n_labels, user_data);
  func (self->bias, model->n_labels, user_data);
}

static void
linear_predict (const WlModel    *model,
                const WlFeatures *features,
                gsize             i,
                float            *probs)
{
  linear_scores ((const WlLinear *) model, features, i, probs);
  wl_softmax (probs, model->n_labels, G_MAXUINT32);
}

double
wl_linear_loss_and_grad (const WlModel    *model,
                         const WlFeatures *features,
                         const guint32    *labels,
                         gsize             n,
                         float            *grad_weights,
                         float            *grad_bias)
{
  const WlLinear *self = (const WlLinear *) model;
  guint K = model->n_labels;
  double l2 = model->config->model.l2;
  g_autofree float *p = g_new (float, K);
  double total = 0.0;

  memset (grad_weights, 0, (gsize) self->n_features * K * sizeof (float));
  memset (grad_bias, 0, K * sizeof (float));
  for (gsize i = 0; i < n; i++)
    {
      const guint32 *ids;
      const float *values;
      gsize len = wl_features_row (features, i, &ids, &values);

      linear_scores (self, features, i, p);
      total += wl_softmax (p, K, labels[i]);
      p[labels[i]] -= 1.f;
      for (gsize j = 0; j < len; j++)
        {
          const float *w = self->weights + (gsize) ids[j] * K;
          float *gw = grad_weights + (gsize) ids[j] * K;

          for (guint k = 0; k < K; k++)
            {
              total += 0.5 * l2 * w[k] * w[k];
              gw[k] += (float) ((p[k] * values[j] + l2 * w[k]) / n);
            }
        }
      for (guint k = 0; k < K; k++)
        grad_bias[k] += p[k] / n;
    }
  return total / n;
}

float *
wl_linear_get_weights (WlModel   *model,
                       guint32   *n_features,
                       float    **bias)
{
  WlLinear *self = (WlLinear *) model;

  *n_features = self->n_features;
  *bias = self->bias;
  return self->weights;
}

/* Life cycle */

static void
linear_resolve_config (WlConfig *config)
{
  WlModelConfig *m = &config->model;

  if (m->epochs == 0)
    m->epochs = WL_MODEL_DEFAULT_MAX_EPOCHS;
  if (m->lr == 0.0)
    m->lr = DEFAULT_LR;
  if (m->l2 < 0.0)
    m->l2 = DEFAULT_L2;
  if (m->word_ngrams == 0)
    m->word_ngrams = DEFAULT_WORD_NGRAMS;
  if (m->min_count == 0)
    m->min_count = DEFAULT_MIN_COUNT;
}

static WlLinear *
linear_alloc (const WlConfig *config,
              guint           n_labels)
{
  WlLinear *self = g_new0 (WlLinear, 1);

  wl_model_init (&self->parent, &wl_linear_class, config, n_labels);
  atomic_init (&self->lr, NAN);
  self->char_min = CHAR_NGRAM_MIN;
  self->char_max = CHAR_NGRAM_MAX;
  self->bias = g_new0 (float, n_labels);
  return self;
}

static WlModel *
linear_create (const WlConfig *config,
               guint           n_labels)
{
  return &linear_alloc (config, n_labels)->parent;
}

static void
linear_free (WlModel *model)
{
  WlLinear *self = (WlLinear *) model;

  g_clear_pointer (&self->vocab, wl_vocab_unref);
  g_free (self->idf);
  g_free (self->weights);
  g_free (self->weights_q);
  g_free (self->weight_scale);
  g_free (self->bias);
  g_free (self);
}

static void
linear_copy_weights (WlModel       *dst,
                     const WlModel *src)
{
  WlLinear *d = (WlLinear *) dst;
  const WlLinear *s = (const WlLinear *) src;

  g_return_if_fail (d->n_features == s->n_features);

  memcpy (d->weights, s->weights, (gsize) s->n_features * src->n_labels * sizeof (float));
  memcpy (d->bias, s->bias, src->n_labels * sizeof (float));
}

static WlModel *
linear_clone (const WlModel *model)
{
  const WlLinear *self = (const WlLinear *) model;
  WlLinear *copy = linear_alloc (model->config, model->n_labels);

  if (self->vocab != NULL)
    {
      copy->vocab = wl_vocab_ref (self->vocab);
      copy->n_features = self->n_features;
      copy->idf = g_memdup2 (self->idf, self->n_features * sizeof (float));
      copy->pruned = self->pruned;
      if (self->weights != NULL)
        copy->weights = g_memdup2 (self->weights,
                                   (gsize) self->n_features * model->n_labels * sizeof (float));
      else
        {
          copy->weights_q = g_memdup2 (self->weights_q, (gsize) self->n_features * model->n_labels);
          copy->weight_scale = g_memdup2 (self->weight_scale,
                                          (self->scale_per_label ? model->n_labels : self->n_features) *
                                          sizeof (float));
          copy->scale_per_label = self->scale_per_label;
        }
    }
  memcpy (copy->bias, self->bias, model->n_labels * sizeof (float));
  return &copy->parent;
}

/* The key of a feature from its text (a WlVocabKeyFunc): rule 0 reads it
 * as a word n-gram (its tokens between single spaces), rule 1 as a
 * character n-gram. */
gboolean
wl_linear_feature_key (const char *text,
                       gsize       len,
                       guint       rule,
                       guint64    *key,
                       gpointer    user_data)
{
  g_autoptr(GString) token = NULL;
  gboolean first = TRUE;
  guint32 h32;

  if (rule == 1)
    *key = hash_bytes (text, len);
  if (rule != 0)
    return rule == 1;
  token = g_string_new (NULL);
  for (const char *p = text, *end = text + len; p <= end; p++)
    {
      guint64 h;

      if (p < end && *p != ' ')
        {
          g_string_append_c (token, *p);
          continue;
        }
      wl_hash_token (token->str, &h32, &h);
      *key = first ? h : wl_hash_combine (*key, h);
      first = FALSE;
      g_string_truncate (token, 0);
    }
  return TRUE;
}

/* Payload: vocabulary, u32 char_min, u32 char_max, idf, weights (see
 * wl_linear_write_weights), biases.  An int8 or pruned model packs its
 * vocabulary and writes its IDF as the documents' count (see
 * wl_linear_write_idf). */
static void
linear_write (const WlModel *model,
              WlModelWriter *writer)
{
  const WlLinear *self = (const WlLinear *) model;
  gboolean packed = wl_linear_storage (model) != 0;

  g_return_if_fail (self->vocab != NULL);

  if (packed)
    wl_vocab_write_packed (self->vocab, writer, wl_linear_feature_key, NULL);
  else
    wl_vocab_write (self->vocab, writer);
  wl_model_writer_put_u32 (writer, self->char_min);
  wl_model_writer_put_u32 (writer, self->char_max);
  if (packed)
    wl_linear_write_idf (self, writer);
  else
    wl_model_writer_put_f32s (writer, self->idf, self->n_features);
  wl_linear_write_weights (self, writer);
  wl_model_writer_put_f32s (writer, self->bias, model->n_labels);
}

static WlModel *
linear_read (const WlConfig  *config,
             guint            n_labels,
             WlModelReader   *reader,
             GError         **error)
{
  g_autoptr(WlModel) model = linear_create (config, n_labels);
  WlLinear *self = (WlLinear *) model;
  gboolean packed = wl_compress_packs_vocab (reader);

  self->vocab = packed ? wl_vocab_read_packed (reader, wl_linear_feature_key, NULL, error)
                       : wl_vocab_read (reader, error);
  if (self->vocab == NULL ||
      !wl_model_reader_get_u32 (reader, &self->char_min, error) ||
      !wl_model_reader_get_u32 (reader, &self->char_max, error))
    return NULL;
  if (self->char_min < 1 || self->char_min > self->char_max || self->char_max > MAX_NGRAM)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("the model file is corrupted (character n-grams of %u to %u)"),
                   self->char_min, self->char_max);
      return NULL;
    }
  self->n_features = wl_vocab_size (self->vocab);
  if (packed ? !wl_linear_read_idf (self, reader, error)
             : (self->idf = wl_model_read_floats (reader, self->n_features, error)) == NULL)
    return NULL;
  if (!wl_linear_read_weights (self, reader, error))
    return NULL;
  if (!wl_model_reader_get_weights (reader, self->bias, n_labels, error))
    return NULL;
  return g_steal_pointer (&model);
}

/* Export */

/* The ids are every occurrence of a known feature; the graph counts them
 * (ScatterElements with reduction "add") and computes the TF-IDF row as
 * featurize_doc() does. */
static const char *
linear_onnx_graph (const WlModel *model,
                   WlOnnxGraph   *graph)
{
  const WlLinear *self = (const WlLinear *) model;
  const char *mask = wl_model_onnx_mask (graph);
  const char *ones = wl_onnx_graph_op (graph, "Cast", WL_ONNX_IN (mask),
                                       WL_ONNX_ATTRS (WL_ONNX_INT ("to", WL_ONNX_FLOAT)));
  const char *batch = wl_onnx_graph_op (graph, "Gather",
                                        WL_ONNX_IN (wl_onnx_graph_op (graph, "Shape", WL_ONNX_IN ("ids"),
                                                                      WL_ONNX_NO_ATTRS),
                                                    wl_onnx_graph_ints (graph, 1, (gint64[]) { 0 })),
                                        WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 0)));
  const char *shape = wl_onnx_graph_op (graph, "Concat",
                                        WL_ONNX_IN (batch, wl_onnx_graph_ints (graph, 1, (gint64[]) { self->n_features })),
                                        WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 0)));
  const char *zeros = wl_onnx_graph_op (graph, "Expand",
                                        WL_ONNX_IN (wl_onnx_graph_float_scalar (graph, 0.f), shape),
                                        WL_ONNX_NO_ATTRS);
  const char *tf = wl_onnx_graph_op (graph, "ScatterElements",
                                     WL_ONNX_IN (zeros, wl_model_onnx_safe_ids (graph, mask), ones),
                                     WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 1),
                                                    WL_ONNX_STRING ("reduction", "add")));
  const char *v, *norm;

  if (model->config->model.sublinear_tf)
    {
      const char *one = wl_onnx_graph_float_scalar (graph, 1.f);
      const char *log_tf = wl_onnx_graph_op (graph, "Log",
                                             WL_ONNX_IN (wl_onnx_graph_op (graph, "Max", WL_ONNX_IN (tf, one),
                                                                           WL_ONNX_NO_ATTRS)),
                                             WL_ONNX_NO_ATTRS);
      const char *present = wl_onnx_graph_op (graph, "Greater",
                                              WL_ONNX_IN (tf, wl_onnx_graph_float_scalar (graph, 0.f)),
                                              WL_ONNX_NO_ATTRS);

      tf = wl_onnx_graph_op (graph, "Where",
                             WL_ONNX_IN (present,
                                         wl_onnx_graph_op (graph, "Add", WL_ONNX_IN (log_tf, one), WL_ONNX_NO_ATTRS),
                                         wl_onnx_graph_float_scalar (graph, 0.f)),
                             WL_ONNX_NO_ATTRS);
    }
  v = wl_onnx_graph_op (graph, "Mul", WL_ONNX_IN (tf, "idf"), WL_ONNX_NO_ATTRS);
  norm = wl_onnx_graph_op (graph, "Sqrt",
                           WL_ONNX_IN (wl_onnx_graph_op (graph, "ReduceSum",
                                                         WL_ONNX_IN (wl_onnx_graph_op (graph, "Mul", WL_ONNX_IN (v, v),
                                                                                       WL_ONNX_NO_ATTRS),
                                                                     wl_onnx_graph_ints (graph, 1, (gint64[]) { 1 })),
                                                         WL_ONNX_ATTRS (WL_ONNX_INT ("keepdims", 1)))),
                           WL_ONNX_NO_ATTRS);
  /* An empty row stays zero: 0 / tiny. */
  norm = wl_onnx_graph_op (graph, "Max", WL_ONNX_IN (norm, wl_onnx_graph_float_scalar (graph, 1e-30f)),
                           WL_ONNX_NO_ATTRS);
  v = wl_onnx_graph_op (graph, "Div", WL_ONNX_IN (v, norm), WL_ONNX_NO_ATTRS);
  return wl_model_onnx_softmax (graph, wl_model_onnx_affine (graph, v, "fc.weight", "fc.bias"));
}

static void
linear_export_ids (const WlModel     *model,
                   const WlTokenList *doc,
                   GArray            *ids)
{
  const WlLinear *self = (const WlLinear *) model;
  g_autoptr(Scratch) scratch = scratch_new (model);
  gsize n = doc_keys (self, doc, scratch, FALSE);

  wl_vocab_lookup_many (self->vocab, scratch->keys, n, scratch->found);
  for (gsize j = 0; j < n; j++)
    if (scratch->found[j] != WL_VOCAB_NONE)
      {
        gint64 id = scratch->found[j];

        g_array_append_val (ids, id);
      }
}

static void
linear_describe_ids (const WlModel *model,
                     JsonBuilder   *builder)
{
  const WlLinear *self = (const WlLinear *) model;

  json_builder_set_member_name (builder, "ids");
  json_builder_add_string_value (builder, "features");
  json_builder_set_member_name (builder, "word_ngrams");
  json_builder_add_int_value (builder, model->config->model.word_ngrams);
  json_builder_set_member_name (builder, "char_ngrams");
  if (model->config->model.char_ngrams)
    {
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, self->char_min);
      json_builder_add_int_value (builder, self->char_max);
      json_builder_end_array (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "sublinear_tf");
  json_builder_add_boolean_value (builder, model->config->model.sublinear_tf);
  wl_model_describe_vocab (self->vocab, 0, builder);
}

static guint64
linear_n_parameters (const WlModel *model)
{
  const WlLinear *self = (const WlLinear *) model;

  return ((guint64) self->n_features + 1) * model->n_labels;
}

static double
linear_get_lr (const WlModel *model)
{
  return atomic_load (&((WlLinear *) model)->lr);
}

const WlModelClass wl_linear_class = {
  .type = WL_MODEL_LINEAR,
  .name = "linear",
  .resolve_config = linear_resolve_config,
  .create = linear_create,
  .free = linear_free,
  .build = linear_build,
  .build_add = linear_build_add,
  .build_finish = linear_build_finish,
  .featurize = linear_featurize,
  .features_free = wl_features_free,
  .train_epoch = linear_train_epoch,
  .predict = linear_predict,
  .copy_weights = linear_copy_weights,
  .clone = linear_clone,
  .write = linear_write,
  .read = linear_read,
  .n_parameters = linear_n_parameters,
  .get_lr = linear_get_lr,
  .foreach_tensor = wl_linear_foreach_tensor,
  .foreach_weights = linear_foreach_weights,
  .storage = wl_linear_storage,
  .prune = wl_linear_prune,
  .quantize = wl_linear_quantize,
  .onnx_graph = linear_onnx_graph,
  .export_ids = linear_export_ids,
  .describe_ids = linear_describe_ids,
};
