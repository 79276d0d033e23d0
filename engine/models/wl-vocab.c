/* wl-vocab.c: a vocabulary of features keyed by a 64-bit hash. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"
#include "models/wl-vocab.h"

/* Fewer documents than this per part are counted on one thread. */
#define MIN_DOCS_PER_PART 2048

/* The key is kept in the slot so that a lookup touches one cache line. */
typedef struct
{
  guint64 key;
  guint32 id;            /* id + 1; 0 = empty */
} Slot;

struct _WlVocab
{
  gint      ref_count;
  guint32   n;
  guint32   allocated;
  guint64  *keys;        /* by id */
  guint32  *counts;      /* by id */
  guint32  *last_doc;    /* by id: the last document counted (+ 1) */
  gsize    *text_offsets;/* by id, into texts */
  GString  *texts;       /* NUL-terminated texts, one after the other */
  Slot     *slots;       /* open addressing */
  guint32   mask;        /* number of slots - 1 */
};

WlVocab *
wl_vocab_new (void)
{
  WlVocab *vocab = g_new0 (WlVocab, 1);

  vocab->ref_count = 1;
  vocab->texts = g_string_new (NULL);
  vocab->mask = 15;
  vocab->slots = g_new0 (Slot, vocab->mask + 1);
  return vocab;
}

WlVocab *
wl_vocab_ref (WlVocab *vocab)
{
  g_return_val_if_fail (vocab != NULL, NULL);

  g_atomic_int_inc (&vocab->ref_count);
  return vocab;
}

void
wl_vocab_unref (WlVocab *vocab)
{
  if (vocab == NULL || !g_atomic_int_dec_and_test (&vocab->ref_count))
    return;

  g_free (vocab->keys);
  g_free (vocab->counts);
  g_free (vocab->last_doc);
  g_free (vocab->text_offsets);
  g_string_free (vocab->texts, TRUE);
  g_free (vocab->slots);
  g_free (vocab);
}

guint32
wl_vocab_size (const WlVocab *vocab)
{
  g_return_val_if_fail (vocab != NULL, 0);

  return vocab->n;
}

static inline guint32
slot_of (guint64 key,
         guint32 mask)
{
  return (guint32) (key ^ (key >> 29) ^ (key >> 47)) & mask;
}

guint32
wl_vocab_lookup (const WlVocab *vocab,
                 guint64        key)
{
  for (guint32 s = slot_of (key, vocab->mask);; s = (s + 1) & vocab->mask)
    {
      const Slot *slot = &vocab->slots[s];

      if (slot->id == 0)
        return WL_VOCAB_NONE;
      if (slot->key == key)
        return slot->id - 1;
    }
}

static void
place (WlVocab *vocab,
       guint32  id)
{
  guint64 key = vocab->keys[id];
  guint32 s = slot_of (key, vocab->mask);

  while (vocab->slots[s].id != 0)
    s = (s + 1) & vocab->mask;
  vocab->slots[s].key = key;
  vocab->slots[s].id = id + 1;
}

#define PREFETCH_DISTANCE 8

void
wl_vocab_lookup_many (const WlVocab *vocab,
                      const guint64 *keys,
                      gsize          n,
                      guint32       *ids)
{
  for (gsize i = 0; i < n; i++)
    {
#ifdef __GNUC__
      if (i + PREFETCH_DISTANCE < n)
        __builtin_prefetch (&vocab->slots[slot_of (keys[i + PREFETCH_DISTANCE], vocab->mask)]);
#endif
      ids[i] = wl_vocab_lookup (vocab, keys[i]);
    }
}

/* Rebuilds the slots for the current entries, for up to @capacity entries
 * at a load of at most one half. */
static gboolean
rehash (WlVocab *vocab,
        guint64  capacity)
{
  guint32 n_slots = 16;
  Slot *slots;

  while (n_slots < 2 * capacity)
    n_slots *= 2;
  slots = g_try_new0 (Slot, n_slots);
  if (slots == NULL)
    return FALSE;

  g_free (vocab->slots);
  vocab->slots = slots;
  vocab->mask = n_slots - 1;
  for (guint32 id = 0; id < vocab->n; id++)
    place (vocab, id);
  return TRUE;
}

/* Gives the arrays room for @allocated entries (at least vocab->n). */
static gboolean
resize (WlVocab *vocab,
        guint32  allocated)
{
  guint64 *keys;
  guint32 *counts, *last_doc;
  gsize *offsets;

  /* Each array holds at least the smaller size, whatever fails below. */
  vocab->allocated = MIN (vocab->allocated, allocated);
  keys = g_try_realloc_n (vocab->keys, allocated, sizeof *keys);
  if (keys == NULL)
    return FALSE;
  vocab->keys = keys;
  counts = g_try_realloc_n (vocab->counts, allocated, sizeof *counts);
  if (counts == NULL)
    return FALSE;
  vocab->counts = counts;
  last_doc = g_try_realloc_n (vocab->last_doc, allocated, sizeof *last_doc);
  if (last_doc == NULL)
    return FALSE;
  vocab->last_doc = last_doc;
  offsets = g_try_realloc_n (vocab->text_offsets, allocated, sizeof *offsets);
  if (offsets == NULL)
    return FALSE;
  vocab->text_offsets = offsets;
  vocab->allocated = allocated;
  return TRUE;
}

static gboolean
grow (WlVocab *vocab)
{
  if (vocab->allocated >= WL_VOCAB_MAX_SIZE)
    return FALSE;
  return resize (vocab, MIN (MAX (64, vocab->allocated * 2), WL_VOCAB_MAX_SIZE));
}

guint32
wl_vocab_insert (WlVocab    *vocab,
                 guint64     key,
                 const char *text,
                 gsize       text_len)
{
  guint32 id;

  g_return_val_if_fail (vocab != NULL, WL_VOCAB_NONE);
  g_return_val_if_fail (text != NULL, WL_VOCAB_NONE);

  if (vocab->n == vocab->allocated && !grow (vocab))
    return WL_VOCAB_NONE;
  if (2 * ((guint64) vocab->n + 1) > (guint64) vocab->mask + 1 &&
      !rehash (vocab, 2 * ((guint64) vocab->n + 1)))
    return WL_VOCAB_NONE;

  id = vocab->n++;
  vocab->keys[id] = key;
  vocab->counts[id] = 0;
  vocab->last_doc[id] = 0;
  vocab->text_offsets[id] = vocab->texts->len;
  g_string_append_len (vocab->texts, text, text_len);
  g_string_append_c (vocab->texts, '\0');
  place (vocab, id);
  return id;
}

guint32
wl_vocab_get_count (const WlVocab *vocab,
                    guint32        id)
{
  g_return_val_if_fail (vocab != NULL && id < vocab->n, 0);

  return vocab->counts[id];
}

void
wl_vocab_count_in_doc (WlVocab *vocab,
                       guint32  id,
                       gsize    doc)
{
  guint32 mark = (guint32) doc + 1;

  if (vocab->last_doc[id] != mark)
    {
      vocab->last_doc[id] = mark;
      if (vocab->counts[id] < G_MAXUINT32)
        vocab->counts[id]++;
    }
}

const char *
wl_vocab_get_text (const WlVocab *vocab,
                   guint32        id)
{
  g_return_val_if_fail (vocab != NULL && id < vocab->n, NULL);

  return vocab->texts->str + vocab->text_offsets[id];
}

void
wl_vocab_prune (WlVocab *vocab,
                guint32  min_count)
{
  GString *texts;
  guint32 kept = 0;

  g_return_if_fail (vocab != NULL);

  texts = g_string_sized_new (vocab->texts->len);
  for (guint32 id = 0; id < vocab->n; id++)
    {
      const char *text = vocab->texts->str + vocab->text_offsets[id];

      if (vocab->counts[id] < min_count)
        continue;
      vocab->keys[kept] = vocab->keys[id];
      vocab->counts[kept] = vocab->counts[id];
      vocab->last_doc[kept] = vocab->last_doc[id];
      vocab->text_offsets[kept] = texts->len;
      g_string_append_len (texts, text, strlen (text) + 1);
      kept++;
    }
  g_string_free (vocab->texts, TRUE);
  vocab->texts = texts;
  vocab->n = kept;
  resize (vocab, MAX (kept, 1));

  /* Smaller slots for fewer entries; without memory for them, the old
   * slots do. */
  if (!rehash (vocab, vocab->n))
    {
      memset (vocab->slots, 0, ((gsize) vocab->mask + 1) * sizeof (Slot));
      for (guint32 id = 0; id < vocab->n; id++)
        place (vocab, id);
    }
}

gboolean
wl_vocab_merge (WlVocab       *dst,
                const WlVocab *src)
{
  g_return_val_if_fail (dst != NULL && src != NULL, FALSE);

  for (guint32 id = 0; id < src->n; id++)
    {
      guint32 at = wl_vocab_lookup (dst, src->keys[id]);

      if (at == WL_VOCAB_NONE)
        {
          const char *text = wl_vocab_get_text (src, id);

          at = wl_vocab_insert (dst, src->keys[id], text, strlen (text));
          if (at == WL_VOCAB_NONE)
            return FALSE;
        }
      dst->counts[at] = (guint32) MIN ((guint64) dst->counts[at] + src->counts[id], G_MAXUINT32);
    }
  return TRUE;
}

typedef struct
{
  const WlTokenList *docs;
  gsize              n_docs;
  guint              n_parts;
  WlVocabCountFunc   func;
  gpointer           user_data;
  WlVocab          **parts;
  gboolean          *failed;
} CountJob;

static void
count_parts (gsize    begin,
             gsize    end,
             gpointer data,
             guint    worker)
{
  CountJob *job = data;

  for (gsize p = begin; p < end; p++)
    {
      gsize first = job->n_docs * p / job->n_parts;
      gsize last = job->n_docs * (p + 1) / job->n_parts;

      job->parts[p] = wl_vocab_new ();
      job->failed[p] = !job->func (job->docs + first, last - first, p, job->parts[p],
                                   job->user_data);
    }
}

WlVocab *
wl_vocab_count (const WlTokenList *docs,
                gsize              n_docs,
                guint              n_threads,
                WlVocabCountFunc   func,
                gpointer           user_data)
{
  guint n_parts = MIN (wl_parallel_resolve_threads (n_threads),
                       MAX (n_docs / MIN_DOCS_PER_PART, 1));
  g_autofree WlVocab **parts = g_new0 (WlVocab *, n_parts);
  g_autofree gboolean *failed = g_new0 (gboolean, n_parts);
  CountJob job = { docs, n_docs, n_parts, func, user_data, parts, failed };
  WlVocab *vocab = NULL;
  gboolean ok = TRUE;

  wl_parallel_for (n_parts, 1, n_parts, count_parts, &job, NULL, NULL);
  for (guint p = 0; p < n_parts; p++)
    ok = ok && !failed[p];
  if (ok)
    {
      vocab = g_steal_pointer (&parts[0]);
      for (guint p = 1; p < n_parts && vocab != NULL; p++)
        if (!wl_vocab_merge (vocab, parts[p]))
          g_clear_pointer (&vocab, wl_vocab_unref);
    }
  for (guint p = 0; p < n_parts; p++)
    g_clear_pointer (&parts[p], wl_vocab_unref);
  return vocab;
}

/* Layout: u64 count, then per entry u64 key, u32 count, string. */
void
wl_vocab_write (const WlVocab *vocab,
                WlModelWriter *writer)
{
  wl_model_writer_put_u64 (writer, vocab->n);
  for (guint32 id = 0; id < vocab->n; id++)
    {
      wl_model_writer_put_u64 (writer, vocab->keys[id]);
      wl_model_writer_put_u32 (writer, vocab->counts[id]);
      wl_model_writer_put_string (writer, wl_vocab_get_text (vocab, id));
    }
}

WlVocab *
wl_vocab_read (WlModelReader  *reader,
               GError        **error)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  guint64 n;

  /* Each entry takes at least 16 bytes. */
  if (!wl_model_reader_get_count (reader,
                                  MIN (WL_VOCAB_MAX_SIZE, wl_model_reader_remaining (reader) / 16),
                                  &n, error))
    return NULL;

  for (guint64 i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;
      guint64 key;
      guint32 count, id;

      if (!wl_model_reader_get_u64 (reader, &key, error) ||
          !wl_model_reader_get_u32 (reader, &count, error) ||
          !wl_model_reader_get_string (reader, &text, error))
        return NULL;
      if (wl_vocab_lookup (vocab, key) != WL_VOCAB_NONE)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                       _("the model file is corrupted (the vocabulary has “%s” twice)"), text);
          return NULL;
        }
      id = wl_vocab_insert (vocab, key, text, strlen (text));
      if (id == WL_VOCAB_NONE)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                       _("not enough memory to load a vocabulary of %" G_GUINT64_FORMAT " entries"), n);
          return NULL;
        }
      vocab->counts[id] = count;
    }
  return g_steal_pointer (&vocab);
}
