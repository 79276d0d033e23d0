/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-vocab.c: a vocabulary of features keyed by a 64-bit hash.
 *
 * Entries live in arrays by id (key, document count, where the text
 * starts), their texts one after the other in one buffer.  An open
 * addressing table of slots, at most three quarters full, finds the id of
 * a key in one cache line; the slot also holds the last document that
 * counted the entry, so that counting touches the slot and a small array
 * of counts.
 * Counting, merging and lookups in bulk fetch the slots of the keys a few
 * places ahead, so that the cache misses of a large vocabulary overlap
 * instead of coming one after the other.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"
#include "models/wl-vocab.h"

/* Fewer documents than this per part are counted on one thread. */
#define MIN_DOCS_PER_PART 1024
/* How many keys ahead bulk operations fetch slots. */
#define PREFETCH_DISTANCE 16
#define MIN_SLOTS         16

typedef struct
{
  guint64 key;
  guint32 id;            /* id + 1; 0 = empty */
  guint32 last_doc;      /* the last document counted + 1; 0 = none */
} Slot;

struct _WlVocab
{
  gint      ref_count;
  guint32   n;
  guint32   allocated;
  guint64  *keys;        /* by id */
  guint32  *counts;      /* by id */
  gsize    *text_offsets;/* by id, into texts */
  GString  *texts;       /* NUL-terminated texts, one after the other */
  Slot     *slots;
  gsize     mask;        /* number of slots - 1 */
};

WlVocab *
wl_vocab_new (void)
{
  WlVocab *vocab = g_new0 (WlVocab, 1);

  vocab->ref_count = 1;
  vocab->texts = g_string_new (NULL);
  vocab->mask = MIN_SLOTS - 1;
  vocab->slots = g_new0 (Slot, MIN_SLOTS);
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

/* The table */

static inline gsize
slot_of (guint64 key,
         gsize   mask)
{
  return (gsize) (key ^ (key >> 29) ^ (key >> 47)) & mask;
}

/* The slot of @key, or the empty slot where it would go. */
static inline Slot *
find (const WlVocab *vocab,
      guint64        key)
{
  gsize s = slot_of (key, vocab->mask);

  while (vocab->slots[s].id != 0 && vocab->slots[s].key != key)
    s = (s + 1) & vocab->mask;
  return &vocab->slots[s];
}

static inline void
prefetch_slot (const WlVocab *vocab,
               guint64        key)
{
#ifdef __GNUC__
  __builtin_prefetch (&vocab->slots[slot_of (key, vocab->mask)]);
#endif
}

guint32
wl_vocab_lookup (const WlVocab *vocab,
                 guint64        key)
{
  /* An empty slot holds 0, and 0 - 1 is WL_VOCAB_NONE. */
  return find (vocab, key)->id - 1;
}

void
wl_vocab_lookup_many (const WlVocab *vocab,
                      const guint64 *keys,
                      gsize          n,
                      guint32       *ids)
{
  gsize ahead = MIN (n, PREFETCH_DISTANCE);

  for (gsize i = 0; i < ahead; i++)
    prefetch_slot (vocab, keys[i]);
  for (gsize i = 0; i < n; i++)
    {
      if (i + PREFETCH_DISTANCE < n)
        prefetch_slot (vocab, keys[i + PREFETCH_DISTANCE]);
      ids[i] = find (vocab, keys[i])->id - 1;
    }
}

/* Whether @n_slots slots hold @capacity entries (at a load of at most
 * three quarters). */
static inline gboolean
fits (guint64 capacity,
      guint64 n_slots)
{
  return 4 * capacity <= 3 * n_slots;
}

/* The number of slots for @capacity entries, or 0 when that is too many. */
static gsize
slots_for (guint64 capacity)
{
  gsize n_slots = MIN_SLOTS;

  if (capacity > G_MAXSIZE / 2 / sizeof (Slot))
    return 0;
  while (!fits (capacity, n_slots))
    n_slots *= 2;
  return n_slots;
}

/* Puts every entry in the (empty) table, as not counted yet; returns the
 * first entry whose key an earlier one has (left out), or WL_VOCAB_NONE. */
static guint32
place_all (WlVocab *vocab)
{
  guint32 ahead = MIN (vocab->n, PREFETCH_DISTANCE);

  for (guint32 id = 0; id < ahead; id++)
    prefetch_slot (vocab, vocab->keys[id]);
  for (guint32 id = 0; id < vocab->n; id++)
    {
      Slot *slot;

      if (id + PREFETCH_DISTANCE < vocab->n)
        prefetch_slot (vocab, vocab->keys[id + PREFETCH_DISTANCE]);
      slot = find (vocab, vocab->keys[id]);
      if (slot->id != 0)
        return id;
      *slot = (Slot) { vocab->keys[id], id + 1, 0 };
    }
  return WL_VOCAB_NONE;
}

/* A table of @n_slots empty slots, or NULL. */
static Slot *
new_slots (gsize n_slots)
{
  Slot *slots = n_slots > 0 ? g_try_new (Slot, n_slots) : NULL;

  /* Not calloc: new pages that are read first map the shared zero page,
   * and the first write then has to flush the TLB of every thread's
   * processor, which costs more than the whole memset. */
  if (slots != NULL)
    memset (slots, 0, n_slots * sizeof (Slot));
  return slots;
}

/* Moves the entries to a table of @n_slots slots. */
static gboolean
rehash (WlVocab *vocab,
        gsize    n_slots)
{
  Slot *old = vocab->slots;
  gsize n_old = vocab->mask + 1;

  vocab->slots = new_slots (n_slots);
  if (vocab->slots == NULL)
    {
      vocab->slots = old;
      return FALSE;
    }
  vocab->mask = n_slots - 1;
  for (gsize s = 0; s < n_old; s++)
    if (old[s].id != 0)
      *find (vocab, old[s].key) = old[s];
  g_free (old);
  return TRUE;
}

/* Gives the arrays room for @allocated entries (at least vocab->n). */
static gboolean
resize (WlVocab *vocab,
        guint32  allocated)
{
  guint64 *keys;
  guint32 *counts;
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
  offsets = g_try_realloc_n (vocab->text_offsets, allocated, sizeof *offsets);
  if (offsets == NULL)
    return FALSE;
  vocab->text_offsets = offsets;
  vocab->allocated = allocated;
  return TRUE;
}

/* Makes room for @capacity entries in all (at most WL_VOCAB_MAX_SIZE). */
static gboolean
reserve (WlVocab *vocab,
         guint64  capacity)
{
  if (capacity > WL_VOCAB_MAX_SIZE)
    return FALSE;
  if (capacity > vocab->allocated && !resize (vocab, (guint32) capacity))
    return FALSE;
  if (!fits (capacity, vocab->mask + 1) && !rehash (vocab, slots_for (capacity)))
    return FALSE;
  return TRUE;
}

/* Makes room for one more entry, doubling the arrays when they are full. */
static gboolean
make_room (WlVocab *vocab)
{
  if (vocab->n == vocab->allocated &&
      (vocab->allocated >= WL_VOCAB_MAX_SIZE ||
       !resize (vocab, MIN (MAX (64, 2 * (guint64) vocab->allocated), WL_VOCAB_MAX_SIZE))))
    return FALSE;
  return reserve (vocab, (guint64) vocab->n + 1);
}

static inline gboolean
has_room (const WlVocab *vocab)
{
  return vocab->n < vocab->allocated && fits ((guint64) vocab->n + 1, vocab->mask + 1);
}

/* Adds @key at its empty @slot, with a count of 0; the caller appends its
 * text and a NUL to vocab->texts. */
static inline guint32
add_entry (WlVocab *vocab,
           Slot    *slot,
           guint64  key)
{
  guint32 id = vocab->n++;

  vocab->keys[id] = key;
  vocab->counts[id] = 0;
  vocab->text_offsets[id] = vocab->texts->len;
  *slot = (Slot) { key, id + 1, 0 };
  return id;
}

/* The slot where a new @key goes, with room made for it; NULL when the
 * vocabulary is full. */
static Slot *
slot_for_new (WlVocab *vocab,
              Slot    *slot,
              guint64  key)
{
  if (has_room (vocab))
    return slot;
  if (!make_room (vocab))
    return NULL;
  return find (vocab, key);
}

guint32
wl_vocab_insert (WlVocab    *vocab,
                 guint64     key,
                 const char *text,
                 gsize       text_len)
{
  Slot *slot;
  guint32 id;

  g_return_val_if_fail (vocab != NULL, WL_VOCAB_NONE);
  g_return_val_if_fail (text != NULL, WL_VOCAB_NONE);

  slot = find (vocab, key);
  g_return_val_if_fail (slot->id == 0, slot->id - 1);
  slot = slot_for_new (vocab, slot, key);
  if (slot == NULL)
    return WL_VOCAB_NONE;

  id = add_entry (vocab, slot, key);
  g_string_append_len (vocab->texts, text, text_len);
  g_string_append_c (vocab->texts, '\0');
  return id;
}

/* Counting */

/* Counts entry @slot once for document @mark - 1. */
static inline void
tally (WlVocab *vocab,
       Slot    *slot,
       guint32  mark)
{
  if (slot->last_doc != mark)
    {
      guint32 *count = &vocab->counts[slot->id - 1];

      slot->last_doc = mark;
      if (*count < G_MAXUINT32)
        (*count)++;
    }
}

void
wl_vocab_count_in_doc (WlVocab *vocab,
                       guint32  id,
                       gsize    doc)
{
  g_return_if_fail (vocab != NULL && id < vocab->n);

  tally (vocab, find (vocab, vocab->keys[id]), (guint32) doc + 1);
}

gboolean
wl_vocab_count_keys (WlVocab         *vocab,
                     const guint64   *keys,
                     gsize            n,
                     gsize            doc,
                     WlVocabTextFunc  text_func,
                     gpointer         user_data)
{
  guint32 mark = (guint32) doc + 1;
  gsize ahead = MIN (n, PREFETCH_DISTANCE);

  g_return_val_if_fail (vocab != NULL, FALSE);
  g_return_val_if_fail (keys != NULL || n == 0, FALSE);
  g_return_val_if_fail (text_func != NULL, FALSE);

  for (gsize j = 0; j < ahead; j++)
    prefetch_slot (vocab, keys[j]);
  for (gsize j = 0; j < n; j++)
    {
      Slot *slot;

      if (j + PREFETCH_DISTANCE < n)
        prefetch_slot (vocab, keys[j + PREFETCH_DISTANCE]);
      slot = find (vocab, keys[j]);
      if (slot->id == 0)
        {
          slot = slot_for_new (vocab, slot, keys[j]);
          if (slot == NULL)
            return FALSE;
          add_entry (vocab, slot, keys[j]);
          text_func (j, vocab->texts, user_data);
          g_string_append_c (vocab->texts, '\0');
        }
      tally (vocab, slot, mark);
    }
  return TRUE;
}

guint32
wl_vocab_get_count (const WlVocab *vocab,
                    guint32        id)
{
  g_return_val_if_fail (vocab != NULL && id < vocab->n, 0);

  return vocab->counts[id];
}

void
wl_vocab_set_count (WlVocab *vocab,
                    guint32  id,
                    guint32  count)
{
  g_return_if_fail (vocab != NULL && id < vocab->n);

  vocab->counts[id] = count;
}

guint64
wl_vocab_get_key (const WlVocab *vocab,
                  guint32        id)
{
  g_return_val_if_fail (vocab != NULL && id < vocab->n, 0);

  return vocab->keys[id];
}

/* The length of the text of @id, without its NUL. */
static inline gsize
text_len (const WlVocab *vocab,
          guint32        id)
{
  gsize end = id + 1 < vocab->n ? vocab->text_offsets[id + 1] : vocab->texts->len;

  return end - vocab->text_offsets[id] - 1;
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
  gsize pos = 0;
  guint32 kept = 0;
  Slot *slots;

  g_return_if_fail (vocab != NULL);

  /* In place: what stays moves towards the start, in order. */
  for (guint32 id = 0; id < vocab->n; id++)
    {
      gsize len = text_len (vocab, id) + 1;

      if (vocab->counts[id] < min_count)
        continue;
      vocab->keys[kept] = vocab->keys[id];
      vocab->counts[kept] = vocab->counts[id];
      memmove (vocab->texts->str + pos, vocab->texts->str + vocab->text_offsets[id], len);
      vocab->text_offsets[kept] = pos;
      pos += len;
      kept++;
    }
  g_string_truncate (vocab->texts, pos);
  vocab->n = kept;
  resize (vocab, MAX (kept, 1));

  /* A smaller table for fewer entries; without memory for it, the old one
   * does. */
  slots = new_slots (slots_for (kept));
  if (slots != NULL)
    {
      g_free (vocab->slots);
      vocab->slots = slots;
      vocab->mask = slots_for (kept) - 1;
    }
  else
    memset (vocab->slots, 0, (vocab->mask + 1) * sizeof (Slot));
  place_all (vocab);
}

WlVocab *
wl_vocab_subset (const WlVocab *vocab,
                 const guint8  *keep)
{
  g_autoptr(WlVocab) subset = wl_vocab_new ();

  g_return_val_if_fail (vocab != NULL, NULL);
  g_return_val_if_fail (keep != NULL || vocab->n == 0, NULL);

  for (guint32 id = 0; id < vocab->n; id++)
    {
      guint32 new_id;

      if (!keep[id])
        continue;
      new_id = wl_vocab_insert (subset, vocab->keys[id], vocab->texts->str + vocab->text_offsets[id],
                                text_len (vocab, id));
      if (new_id == WL_VOCAB_NONE)
        return NULL;
      subset->counts[new_id] = vocab->counts[id];
    }
  return g_steal_pointer (&subset);
}

/* Merging parts */

typedef struct
{
  WlVocab **parts;
  guint     n_parts;
  guint32   min_count;
  gint64  **totals;      /* per part, by id: the count over all parts, or
                          * -1 when the entry is dropped or is in an
                          * earlier part */
  gboolean *failed;
} MergeJob;

/* Fills the totals of @part, looking its keys up in the other parts. */
static void
total_part (MergeJob *job,
            guint     p)
{
  const WlVocab *part = job->parts[p];
  gint64 *totals;

  totals = job->totals[p] = g_try_new (gint64, MAX (part->n, 1));
  if (totals == NULL)
    {
      job->failed[p] = TRUE;
      return;
    }
  for (guint32 id = 0; id < part->n; id++)
    {
      guint64 key = part->keys[id];
      guint64 total = part->counts[id];
      gboolean owned = TRUE;

      if (id + PREFETCH_DISTANCE < part->n)
        for (guint q = 0; q < job->n_parts; q++)
          if (q != p)
            prefetch_slot (job->parts[q], part->keys[id + PREFETCH_DISTANCE]);
      for (guint q = 0; q < p && owned; q++)
        owned = find (job->parts[q], key)->id == 0;
      for (guint q = p + 1; q < job->n_parts && owned; q++)
        {
          const WlVocab *other = job->parts[q];
          const Slot *slot = find (other, key);

          if (slot->id != 0)
            total += other->counts[slot->id - 1];
        }
      total = MIN (total, G_MAXUINT32);
      totals[id] = owned && total >= job->min_count ? (gint64) total : -1;
    }
}

static void
total_parts (gsize    begin,
             gsize    end,
             gpointer data,
             guint    worker)
{
  for (gsize p = begin; p < end; p++)
    total_part (data, p);
}

/* The entries of @parts in order of the first part that has them, then of
 * their id in it, with their counts over all parts, keeping those counted
 * at least @min_count times.  NULL when memory runs out. */
static WlVocab *
merge_parts (WlVocab **parts,
             guint     n_parts,
             guint32   min_count)
{
  g_autofree gint64 **totals = g_new0 (gint64 *, n_parts);
  g_autofree gboolean *failed = g_new0 (gboolean, n_parts);
  MergeJob job = { parts, n_parts, min_count, totals, failed };
  g_autoptr(WlVocab) vocab = NULL;
  guint64 n = 0;
  gsize n_bytes = 0;
  gboolean ok = TRUE;

  /* Each part's totals on its own thread: they only read the others. */
  wl_parallel_for (n_parts, 1, n_parts, total_parts, &job, NULL, NULL);
  for (guint p = 0; p < n_parts; p++)
    {
      ok = ok && !failed[p];
      for (guint32 id = 0; ok && id < parts[p]->n; id++)
        if (totals[p][id] >= 0)
          {
            n++;
            n_bytes += text_len (parts[p], id) + 1;
          }
    }

  if (ok)
    {
      vocab = wl_vocab_new ();
      ok = reserve (vocab, n);
    }
  if (ok)
    {
      g_string_free (vocab->texts, TRUE);
      vocab->texts = g_string_sized_new (n_bytes);
    }
  for (guint p = 0; ok && p < n_parts; p++)
    {
      const WlVocab *part = parts[p];

      for (guint32 id = 0; id < part->n; id++)
        if (totals[p][id] >= 0)
          {
            guint64 key = part->keys[id];
            guint32 at = add_entry (vocab, find (vocab, key), key);

            vocab->counts[at] = (guint32) totals[p][id];
            g_string_append_len (vocab->texts, part->texts->str + part->text_offsets[id],
                                 text_len (part, id) + 1);
          }
    }

  for (guint p = 0; p < n_parts; p++)
    g_free (totals[p]);
  return ok ? g_steal_pointer (&vocab) : NULL;
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
wl_vocab_count_pruned (const WlTokenList *docs,
                       gsize              n_docs,
                       guint              n_threads,
                       guint32            min_count,
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

  g_return_val_if_fail (docs != NULL || n_docs == 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  wl_parallel_for (n_parts, 1, n_parts, count_parts, &job, NULL, NULL);
  for (guint p = 0; p < n_parts; p++)
    ok = ok && !failed[p];
  if (ok && n_parts == 1)
    {
      vocab = g_steal_pointer (&parts[0]);
      if (min_count > 0)
        wl_vocab_prune (vocab, min_count);
    }
  else if (ok)
    vocab = merge_parts (parts, n_parts, min_count);
  for (guint p = 0; p < n_parts; p++)
    g_clear_pointer (&parts[p], wl_vocab_unref);
  return vocab;
}

WlVocab *
wl_vocab_count (const WlTokenList *docs,
                gsize              n_docs,
                guint              n_threads,
                WlVocabCountFunc   func,
                gpointer           user_data)
{
  return wl_vocab_count_pruned (docs, n_docs, n_threads, 0, func, user_data);
}

gboolean
wl_vocab_add (WlVocab       *vocab,
              const WlVocab *part)
{
  g_return_val_if_fail (vocab != NULL, FALSE);
  g_return_val_if_fail (part != NULL, FALSE);

  for (guint32 id = 0; id < part->n; id++)
    {
      guint64 key = part->keys[id];
      Slot *slot;
      guint32 *count;

      if (id + PREFETCH_DISTANCE < part->n)
        prefetch_slot (vocab, part->keys[id + PREFETCH_DISTANCE]);
      slot = find (vocab, key);
      if (slot->id == 0)
        {
          slot = slot_for_new (vocab, slot, key);
          if (slot == NULL)
            return FALSE;
          add_entry (vocab, slot, key);
          g_string_append_len (vocab->texts, part->texts->str + part->text_offsets[id],
                               text_len (part, id) + 1);
        }
      count = &vocab->counts[slot->id - 1];
      *count = (guint32) MIN ((guint64) *count + part->counts[id], G_MAXUINT32);
    }
  return TRUE;
}

/* Files */

/* Layout: u64 count, then per entry u64 key, u32 count (ENTRY_FIELDS
 * bytes) and a string (u32 length, bytes). */
#define ENTRY_FIELDS 12

void
wl_vocab_write (const WlVocab *vocab,
                WlModelWriter *writer)
{
  /* Each entry: its fields, a u32 length and its text without the NUL. */
  gsize size = (gsize) vocab->n * (ENTRY_FIELDS + 4) + vocab->texts->len - vocab->n;
  guint8 *p;

  wl_model_writer_put_u64 (writer, vocab->n);
  p = wl_model_writer_put_raw (writer, size);
  if (p == NULL)
    return;
  for (guint32 id = 0; id < vocab->n; id++)
    {
      guint64 key = GUINT64_TO_LE (vocab->keys[id]);
      guint32 count = GUINT32_TO_LE (vocab->counts[id]);
      guint32 len = (guint32) text_len (vocab, id);
      guint32 len_le = GUINT32_TO_LE (len);

      memcpy (p, &key, 8);
      memcpy (p + 8, &count, 4);
      memcpy (p + ENTRY_FIELDS, &len_le, 4);
      memcpy (p + ENTRY_FIELDS + 4, vocab->texts->str + vocab->text_offsets[id], len);
      p += ENTRY_FIELDS + 4 + len;
    }
}

/* Reads the entries; with @texts_only, their keys are the hashes of
 * their texts and their counts 0 (format 2's int8 and pruned embedding bags). */
static WlVocab *
read_entries (WlModelReader  *reader,
              gboolean        texts_only,
              GError        **error)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  guint32 twice;
  guint64 n;

  /* Each entry takes at least 16 bytes (4 with texts only). */
  if (!wl_model_reader_get_count (reader,
                                  MIN (WL_VOCAB_MAX_SIZE,
                                       wl_model_reader_remaining (reader) / (texts_only ? 4 : 16)),
                                  &n, error))
    return NULL;
  if (!reserve (vocab, n))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("not enough memory to load a vocabulary of %" PRIu64 " entries"), n);
      return NULL;
    }

  /* The entries first, then the table at once (fetching slots ahead). */
  for (guint64 i = 0; i < n; i++)
    {
      const guint8 *fields = texts_only ? NULL : wl_model_reader_get_raw (reader, ENTRY_FIELDS, error);
      const char *text;
      guint64 key = 0;
      guint32 count = 0, len, h32;

      if ((!texts_only && fields == NULL) || !wl_model_reader_get_text (reader, &text, &len, error))
        return NULL;
      if (fields != NULL)
        {
          memcpy (&key, fields, 8);
          memcpy (&count, fields + 8, 4);
        }
      vocab->counts[i] = GUINT32_FROM_LE (count);
      vocab->text_offsets[i] = vocab->texts->len;
      g_string_append_len (vocab->texts, text, len);
      g_string_append_c (vocab->texts, '\0');
      if (texts_only)
        wl_hash_token (vocab->texts->str + vocab->text_offsets[i], &h32, &key);
      vocab->keys[i] = texts_only ? key : GUINT64_FROM_LE (key);
      vocab->n++;
    }
  twice = place_all (vocab);
  if (twice != WL_VOCAB_NONE)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("the model file is corrupted (the vocabulary has “%s” twice)"),
                   wl_vocab_get_text (vocab, twice));
      return NULL;
    }
  return g_steal_pointer (&vocab);
}

WlVocab *
wl_vocab_read (WlModelReader  *reader,
               GError        **error)
{
  return read_entries (reader, FALSE, error);
}

WlVocab *
wl_vocab_read_texts (WlModelReader  *reader,
                     GError        **error)
{
  return read_entries (reader, TRUE, error);
}
