/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-vocab.h: a vocabulary of features keyed by a 64-bit hash.
 *
 * Models hash a token or an n-gram to a 64-bit key and look the key up
 * here; the text of each entry is kept only for the model file and for
 * people (inspect, explanations), so lookups never build strings.  Ids are
 * dense and in first-added order.  A vocabulary is shared by reference
 * between a model and its clones and is read-only once built.
 */
#pragma once

#include <glib.h>

#include "export/wl-model-io.h"
#include "text/wl-tokens.h"

G_BEGIN_DECLS

#define WL_VOCAB_NONE G_MAXUINT32
/* The most entries a vocabulary may hold (ids are 32-bit). */
#define WL_VOCAB_MAX_SIZE (G_MAXUINT32 / 2)

typedef struct _WlVocab WlVocab;

WlVocab     *wl_vocab_new          (void);
WlVocab     *wl_vocab_ref          (WlVocab        *vocab);
void         wl_vocab_unref        (WlVocab        *vocab);

guint32      wl_vocab_size         (const WlVocab  *vocab);
/* Returns the id of @key or WL_VOCAB_NONE. */
guint32      wl_vocab_lookup       (const WlVocab  *vocab,
                                    guint64         key);
/* Looks up @n keys at once into @ids, fetching their slots ahead (faster
 * than one at a time on a vocabulary larger than the caches). */
void         wl_vocab_lookup_many  (const WlVocab  *vocab,
                                    const guint64  *keys,
                                    gsize           n,
                                    guint32        *ids);
/* Adds @key (not yet present) with @text and a count of 0; returns its id,
 * or WL_VOCAB_NONE when the vocabulary is full. */
guint32      wl_vocab_insert       (WlVocab        *vocab,
                                    guint64         key,
                                    const char     *text,
                                    gsize           text_len);
/* Counts entry @id once per document: call it for every occurrence, with
 * documents numbered from 0 (fewer than G_MAXUINT32), in order. */
void         wl_vocab_count_in_doc (WlVocab        *vocab,
                                    guint32         id,
                                    gsize           doc);
/* Appends to @out the text of feature @index of the keys being counted
 * (no NUL byte, valid UTF-8). */
typedef void (*WlVocabTextFunc) (gsize     index,
                                 GString  *out,
                                 gpointer  user_data);
/* Counts each of @keys[0 .. @n - 1], the features of document @doc in
 * order, as wl_vocab_count_in_doc() does, and adds those missing with the
 * text @text_func gives.  Faster than one key at a time (it fetches slots
 * ahead).  FALSE when the vocabulary is full. */
gboolean     wl_vocab_count_keys   (WlVocab        *vocab,
                                    const guint64  *keys,
                                    gsize           n,
                                    gsize           doc,
                                    WlVocabTextFunc text_func,
                                    gpointer        user_data);
/* In how many documents each entry occurs. */
guint32      wl_vocab_get_count    (const WlVocab  *vocab,
                                    guint32         id);
/* Sets it, for a vocabulary read from a file. */
void         wl_vocab_set_count    (WlVocab        *vocab,
                                    guint32         id,
                                    guint32         count);
const char  *wl_vocab_get_text     (const WlVocab  *vocab,
                                    guint32         id);
guint64      wl_vocab_get_key      (const WlVocab  *vocab,
                                    guint32         id);
/* Drops the entries counted fewer than @min_count times; the others keep
 * their order and get new dense ids. */
void         wl_vocab_prune        (WlVocab        *vocab,
                                    guint32         min_count);
/* A new vocabulary of the entries whose @keep[id] is set (counts and
 * order kept, ids made dense again); NULL when memory runs out. */
WlVocab     *wl_vocab_subset       (const WlVocab  *vocab,
                                    const guint8   *keep);

/* Fills @vocab with the documents @docs[0 .. @n_docs - 1] of part @part;
 * FALSE when memory runs out. */
typedef gboolean (*WlVocabCountFunc) (const WlTokenList *docs,
                                      gsize              n_docs,
                                      guint              part,
                                      WlVocab           *vocab,
                                      gpointer           user_data);

/* Counts @docs in consecutive parts on up to @n_threads threads (parts
 * are numbered below wl_parallel_resolve_threads (n_threads)), then merges
 * the parts in order: the result is the same as one count over all the
 * documents, whatever the number of threads.  NULL when memory runs out. */
WlVocab     *wl_vocab_count        (const WlTokenList *docs,
                                    gsize              n_docs,
                                    guint              n_threads,
                                    WlVocabCountFunc   func,
                                    gpointer           user_data);
/* The same followed by wl_vocab_prune (vocab, @min_count), but faster and
 * in less memory: the parts are merged straight into the entries that
 * stay. */
WlVocab     *wl_vocab_count_pruned (const WlTokenList *docs,
                                    gsize              n_docs,
                                    guint              n_threads,
                                    guint32            min_count,
                                    WlVocabCountFunc   func,
                                    gpointer           user_data);

/* Adds the entries and counts of @part to @vocab: those it lacks go at
 * its end in @part's order, so counting documents window by window and
 * adding each window's vocabulary in order gives what one count over all
 * of them gives.  FALSE when the vocabulary is full. */
gboolean     wl_vocab_add          (WlVocab        *vocab,
                                    const WlVocab  *part);

void         wl_vocab_write        (const WlVocab  *vocab,
                                    WlModelWriter  *writer);
WlVocab     *wl_vocab_read         (WlModelReader  *reader,
                                    GError        **error);
/* The form of format 2's int8 and pruned embedding bags, for vocabularies
 * keyed by wl_hash_token()'s 64-bit hash of each text (words): only the
 * texts, the keys computed again when read and the counts left out (read
 * as 0). */
WlVocab     *wl_vocab_read_texts   (WlModelReader  *reader,
                                    GError        **error);

/* The key of an entry from its @text (@len bytes) by a model's rule
 * number @rule (a model may key its texts in more than one way: linear's
 * word and character n-grams); FALSE when the model has no such rule. */
typedef gboolean (*WlVocabKeyFunc) (const char *text,
                                    gsize       len,
                                    guint       rule,
                                    guint64    *key,
                                    gpointer    user_data);

/* The packed form of the int8 and pruned model files
 * (wl-vocab-packed.c): the texts, counts and keys compressed with zlib,
 * the keys of the texts that @key_func finds left out.  @key_func NULL:
 * one rule, the 64-bit hash of wl_hash_token(). */
void         wl_vocab_write_packed (const WlVocab  *vocab,
                                    WlModelWriter  *writer,
                                    WlVocabKeyFunc  key_func,
                                    gpointer        user_data);
WlVocab     *wl_vocab_read_packed  (WlModelReader  *reader,
                                    WlVocabKeyFunc  key_func,
                                    gpointer        user_data,
                                    GError        **error);

/* FNV-1a of a token: the 32-bit hash that fastText uses for word n-gram
 * buckets, and a 64-bit one for vocabulary keys, in one pass. */
static inline void
wl_hash_token (const char *s,
               guint32    *h32,
               guint64    *h64)
{
  guint32 a = 2166136261u;
  guint64 b = G_GUINT64_CONSTANT (14695981039346656037);

  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      a = (a ^ *p) * 16777619u;
      b = (b ^ *p) * G_GUINT64_CONSTANT (1099511628211);
    }
  *h32 = a;
  *h64 = b;
}

/* The key of an n-gram from the keys of its tokens, one token at a time. */
static inline guint64
wl_hash_combine (guint64 h,
                 guint64 next)
{
  h ^= next + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
  return h * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlVocab, wl_vocab_unref)

G_END_DECLS
