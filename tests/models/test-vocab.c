/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-vocab.c: the hashed vocabulary the models share. */
#include <string.h>

#include "wl-error.h"
#include "models/wl-vocab.h"
#include "models-test-util.h"

static guint64
key_of (const char *word)
{
  guint32 h32;
  guint64 h64;

  wl_hash_token (word, &h32, &h64);
  return h64;
}

/* Adds @word if missing and counts it in document @doc. */
static guint32
add (WlVocab    *vocab,
     const char *word,
     gsize       doc)
{
  guint32 id = wl_vocab_lookup (vocab, key_of (word));

  if (id == WL_VOCAB_NONE)
    id = wl_vocab_insert (vocab, key_of (word), word, strlen (word));
  g_assert_cmpuint (id, !=, WL_VOCAB_NONE);
  wl_vocab_count_in_doc (vocab, id, doc);
  return id;
}

static void
test_insert_lookup (void)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  g_autofree guint64 *keys = g_new (guint64, 5000);
  g_autofree guint32 *ids = g_new (guint32, 5000);

  /* Enough entries to grow the table several times. */
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *word = g_strdup_printf ("w%u", i);

      g_assert_cmpuint (add (vocab, word, i), ==, i);
      keys[i] = key_of (word);
    }
  g_assert_cmpuint (wl_vocab_size (vocab), ==, 5000);
  wl_vocab_lookup_many (vocab, keys, 5000, ids);
  for (guint i = 0; i < 5000; i++)
    g_assert_cmpuint (ids[i], ==, i);
  g_assert_cmpstr (wl_vocab_get_text (vocab, 4321), ==, "w4321");
  g_assert_cmpuint (wl_vocab_lookup (vocab, key_of ("missing")), ==, WL_VOCAB_NONE);
}

static void
test_document_frequency (void)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  guint32 a, b, c;

  /* Document 0: a a b; document 1: a c; document 2: a. */
  a = add (vocab, "a", 0);
  add (vocab, "a", 0);
  b = add (vocab, "b", 0);
  add (vocab, "a", 1);
  c = add (vocab, "c", 1);
  add (vocab, "a", 2);
  g_assert_cmpuint (wl_vocab_get_count (vocab, a), ==, 3);
  g_assert_cmpuint (wl_vocab_get_count (vocab, b), ==, 1);
  g_assert_cmpuint (wl_vocab_get_count (vocab, c), ==, 1);

  /* Pruning keeps the order of what stays. */
  add (vocab, "c", 2);
  wl_vocab_prune (vocab, 2);
  g_assert_cmpuint (wl_vocab_size (vocab), ==, 2);
  g_assert_cmpstr (wl_vocab_get_text (vocab, 0), ==, "a");
  g_assert_cmpstr (wl_vocab_get_text (vocab, 1), ==, "c");
  g_assert_cmpuint (wl_vocab_lookup (vocab, key_of ("c")), ==, 1);
  g_assert_cmpuint (wl_vocab_lookup (vocab, key_of ("b")), ==, WL_VOCAB_NONE);
}

/* Counting in parts and merging gives one count, whatever the threads. */
static gboolean
count_tokens (const WlTokenList *docs,
              gsize              n_docs,
              guint              part,
              WlVocab           *vocab,
              gpointer           data)
{
  for (gsize d = 0; d < n_docs; d++)
    for (guint32 t = 0; t < docs[d].n_tokens; t++)
      add (vocab, wl_token_list_get (&docs[d], t), d);
  return TRUE;
}

static void
test_count_parts (void)
{
  TestData data;
  g_autoptr(WlVocab) one = NULL;
  g_autoptr(WlVocab) two = NULL;

  test_data_generate (&data, 5000, 4);
  one = wl_vocab_count (data.docs, data.n, 1, count_tokens, NULL);
  two = wl_vocab_count (data.docs, data.n, 2, count_tokens, NULL);
  g_assert_cmpuint (wl_vocab_size (one), ==, wl_vocab_size (two));
  for (guint32 id = 0; id < wl_vocab_size (one); id++)
    {
      g_assert_cmpstr (wl_vocab_get_text (one, id), ==, wl_vocab_get_text (two, id));
      g_assert_cmpuint (wl_vocab_get_count (one, id), ==, wl_vocab_get_count (two, id));
    }
  test_data_clear (&data);
}

/* The text of key @index of the keys @data: "k<key>" (a WlVocabTextFunc). */
static void
key_text (gsize     index,
          GString  *out,
          gpointer  data)
{
  const guint64 *keys = data;

  g_string_append_printf (out, "k%" G_GUINT64_FORMAT, keys[index]);
}

static void
test_count_keys (void)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  const guint64 doc0[] = { 5, 7, 5, 9 };
  const guint64 doc1[] = { 9, 11, 9 };

  g_assert_true (wl_vocab_count_keys (vocab, doc0, G_N_ELEMENTS (doc0), 0,
                                      key_text, (gpointer) doc0));
  g_assert_true (wl_vocab_count_keys (vocab, doc1, G_N_ELEMENTS (doc1), 1,
                                      key_text, (gpointer) doc1));
  /* Ids in order of first occurrence, each counted once per document. */
  g_assert_cmpuint (wl_vocab_size (vocab), ==, 4);
  g_assert_cmpuint (wl_vocab_lookup (vocab, 5), ==, 0);
  g_assert_cmpuint (wl_vocab_lookup (vocab, 7), ==, 1);
  g_assert_cmpuint (wl_vocab_lookup (vocab, 9), ==, 2);
  g_assert_cmpuint (wl_vocab_lookup (vocab, 11), ==, 3);
  g_assert_cmpstr (wl_vocab_get_text (vocab, 2), ==, "k9");
  g_assert_cmpstr (wl_vocab_get_text (vocab, 3), ==, "k11");
  g_assert_cmpuint (wl_vocab_get_count (vocab, 0), ==, 1);
  g_assert_cmpuint (wl_vocab_get_count (vocab, 2), ==, 2);
  g_assert_cmpuint (wl_vocab_get_count (vocab, 3), ==, 1);

  /* The one-at-a-time calls agree. */
  wl_vocab_count_in_doc (vocab, 3, 1);
  g_assert_cmpuint (wl_vocab_get_count (vocab, 3), ==, 1);
  wl_vocab_count_in_doc (vocab, 3, 2);
  g_assert_cmpuint (wl_vocab_get_count (vocab, 3), ==, 2);
}

/* A document long enough to grow the table while it is counted still
 * counts each of its keys once. */
static void
test_count_keys_growing (void)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  gsize n = 20001;
  g_autofree guint64 *keys = g_new (guint64, n);

  for (gsize i = 0; i + 1 < n; i++)
    keys[i] = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) * (i + 1);
  keys[n - 1] = keys[0];
  g_assert_true (wl_vocab_count_keys (vocab, keys, n, 0, key_text, keys));
  g_assert_true (wl_vocab_count_keys (vocab, keys, n, 1, key_text, keys));
  g_assert_cmpuint (wl_vocab_size (vocab), ==, n - 1);
  for (guint32 id = 0; id < n - 1; id++)
    {
      g_assert_cmpuint (wl_vocab_lookup (vocab, keys[id]), ==, id);
      g_assert_cmpuint (wl_vocab_get_count (vocab, id), ==, 2);
    }
}

/* Words of every document, of a few neighbours (some across the parts'
 * borders), of one document, and of one part or another. */
static void
pruning_data (TestData *data)
{
  *data = (TestData) { g_new0 (WlTokenList, 5000), NULL, 5000 };
  for (gsize d = 0; d < data->n; d++)
    {
      g_autofree char *common = g_strdup_printf ("c%" G_GSIZE_FORMAT, d % 50);
      g_autofree char *near = g_strdup_printf ("n%" G_GSIZE_FORMAT, d / 3);
      g_autofree char *once = g_strdup_printf ("u%" G_GSIZE_FORMAT, d);
      g_autofree char *wide = g_strdup_printf ("w%" G_GSIZE_FORMAT, d / 1500);
      const char *tokens[] = { once, near, common, near, wide, NULL };

      test_token_list_set (&data->docs[d], tokens);
    }
}

/* Merging the parts and pruning at once keeps what one count and a prune
 * keep, in the same order, whatever the number of parts. */
static void
test_count_pruned (void)
{
  TestData data;

  pruning_data (&data);
  for (guint32 min_count = 1; min_count <= 4; min_count++)
    {
      g_autoptr(WlVocab) ref = wl_vocab_count (data.docs, data.n, 1, count_tokens, NULL);

      wl_vocab_prune (ref, min_count);
      for (guint threads = 1; threads <= 4; threads++)
        {
          g_autoptr(WlVocab) vocab = wl_vocab_count_pruned (data.docs, data.n, threads, min_count,
                                                            count_tokens, NULL);

          g_assert_cmpuint (wl_vocab_size (vocab), ==, wl_vocab_size (ref));
          for (guint32 id = 0; id < wl_vocab_size (ref); id++)
            {
              const char *text = wl_vocab_get_text (ref, id);

              g_assert_cmpstr (wl_vocab_get_text (vocab, id), ==, text);
              g_assert_cmpuint (wl_vocab_get_count (vocab, id), ==, wl_vocab_get_count (ref, id));
              g_assert_cmpuint (wl_vocab_lookup (vocab, key_of (text)), ==, id);
            }
        }
    }
  test_data_clear (&data);
}

/* Counting window after window and adding each window's vocabulary, then
 * pruning, gives what one count and a prune give. */
static void
test_add_windows (void)
{
  TestData data;
  g_autoptr(WlVocab) ref = NULL;
  g_autoptr(WlVocab) sum = wl_vocab_new ();
  gsize window = 700;   /* not a divisor of the documents: "n" words cross borders */

  pruning_data (&data);
  ref = wl_vocab_count_pruned (data.docs, data.n, 1, 3, count_tokens, NULL);
  for (gsize first = 0; first < data.n; first += window)
    {
      g_autoptr(WlVocab) part = wl_vocab_count (data.docs + first, MIN (window, data.n - first), 2,
                                                count_tokens, NULL);

      g_assert_true (wl_vocab_add (sum, part));
    }
  /* The words of one document go, the others stay. */
  g_assert_cmpuint (wl_vocab_size (sum), >, wl_vocab_size (ref));
  wl_vocab_prune (sum, 3);
  g_assert_cmpuint (wl_vocab_size (ref), >, 0);
  g_assert_cmpuint (wl_vocab_size (sum), ==, wl_vocab_size (ref));
  for (guint32 id = 0; id < wl_vocab_size (ref); id++)
    {
      const char *text = wl_vocab_get_text (ref, id);

      g_assert_cmpstr (wl_vocab_get_text (sum, id), ==, text);
      g_assert_cmpuint (wl_vocab_get_count (sum, id), ==, wl_vocab_get_count (ref, id));
      g_assert_cmpuint (wl_vocab_lookup (sum, key_of (text)), ==, id);
    }
  test_data_clear (&data);
}

static void
test_write_read (void)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  g_autoptr(WlVocab) read = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WlModelReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  WlModelWriter *writer = wl_model_writer_new ();
  gsize len;
  const guint8 *data;

  add (vocab, "酒店", 0);
  add (vocab, "good day", 1);
  add (vocab, "good day", 2);
  wl_vocab_write (vocab, writer);
  bytes = wl_model_writer_steal (writer);
  data = g_bytes_get_data (bytes, &len);
  reader = wl_model_reader_new (data, len, "v");
  read = wl_vocab_read (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wl_vocab_size (read), ==, 2);
  g_assert_cmpstr (wl_vocab_get_text (read, 0), ==, "酒店");
  g_assert_cmpuint (wl_vocab_get_count (read, 1), ==, 2);
  g_assert_cmpuint (wl_vocab_lookup (read, key_of ("good day")), ==, 1);
}

/* Many entries, read back whole, and refused when cut anywhere. */
static void
test_write_read_many (void)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  g_autoptr(WlVocab) read = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  WlModelWriter *writer = wl_model_writer_new ();
  gsize len;
  const guint8 *data;

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *word = g_strdup_printf ("%s%u", i % 2 ? "词" : "w", i);

      add (vocab, word, i);
      add (vocab, word, i + 1);
    }
  wl_vocab_prune (vocab, 2);
  wl_vocab_write (vocab, writer);
  bytes = wl_model_writer_steal (writer);
  data = g_bytes_get_data (bytes, &len);
  {
    g_autoptr(WlModelReader) reader = wl_model_reader_new (data, len, "v");

    read = wl_vocab_read (reader, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (wl_model_reader_remaining (reader), ==, 0);
  }
  g_assert_cmpuint (wl_vocab_size (read), ==, 3000);
  for (guint32 id = 0; id < 3000; id++)
    {
      g_assert_cmpstr (wl_vocab_get_text (read, id), ==, wl_vocab_get_text (vocab, id));
      g_assert_cmpuint (wl_vocab_get_count (read, id), ==, 2);
      g_assert_cmpuint (wl_vocab_lookup (read, key_of (wl_vocab_get_text (vocab, id))), ==, id);
    }

  for (gsize cut = 0; cut < len; cut += 7)
    {
      g_autoptr(WlModelReader) reader = wl_model_reader_new (data, cut, "v");
      g_autoptr(GError) cut_error = NULL;

      g_assert_null (wl_vocab_read (reader, &cut_error));
      g_assert_error (cut_error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
    }
}

static void
test_read_duplicate (void)
{
  WlModelWriter *writer = wl_model_writer_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WlModelReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data;

  wl_model_writer_put_u64 (writer, 2);
  for (guint i = 0; i < 2; i++)
    {
      wl_model_writer_put_u64 (writer, 42);
      wl_model_writer_put_u32 (writer, 1);
      wl_model_writer_put_string (writer, "same");
    }
  bytes = wl_model_writer_steal (writer);
  data = g_bytes_get_data (bytes, &len);
  reader = wl_model_reader_new (data, len, "v");
  g_assert_null (wl_vocab_read (reader, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
  g_assert_nonnull (strstr (error->message, "“same” twice"));
}

/* A model's two rules: the word hash, or the same tagged (as linear keys
 * its character n-grams apart from its words). */
static gboolean
two_rules (const char *text,
           gsize       len,
           guint       rule,
           guint64    *key,
           gpointer    user_data)
{
  guint *calls = user_data;

  (*calls)++;
  if (rule > 1)
    return FALSE;
  *key = key_of (text) ^ (rule == 1 ? G_GUINT64_CONSTANT (0x5bd1e995) : 0);
  return TRUE;
}

/* Packed: the entries, their counts and keys read back, keys the rules
 * give not stored (the packed file is much smaller than the plain one),
 * the others stored; refused when cut or damaged anywhere. */
static void
test_packed (void)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  g_autoptr(WlVocab) read = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GError) error = NULL;
  WlModelWriter *writer = wl_model_writer_new ();
  guint calls = 0;
  gsize len;
  const guint8 *data;

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *word = g_strdup_printf ("%s%u", i % 2 ? "词" : "w", i);
      guint64 key = key_of (word) ^ (i % 3 == 1 ? G_GUINT64_CONSTANT (0x5bd1e995) : 0);

      /* Every 100th entry has a key no rule gives. */
      if (i % 100 == 7)
        key = G_GUINT64_CONSTANT (0xfeedface00000000) + i;
      wl_vocab_count_in_doc (vocab, wl_vocab_insert (vocab, key, word, strlen (word)), 0);
      wl_vocab_set_count (vocab, i, i * 37);
    }
  wl_vocab_write (vocab, writer);
  plain = wl_model_writer_steal (writer);
  writer = wl_model_writer_new ();
  wl_vocab_write_packed (vocab, writer, two_rules, &calls);
  packed = wl_model_writer_steal (writer);
  g_assert_cmpuint (g_bytes_get_size (packed) * 3, <, g_bytes_get_size (plain));

  data = g_bytes_get_data (packed, &len);
  {
    g_autoptr(WlModelReader) reader = wl_model_reader_new (data, len, "v");

    read = wl_vocab_read_packed (reader, two_rules, &calls, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (wl_model_reader_remaining (reader), ==, 0);
  }
  g_assert_cmpuint (wl_vocab_size (read), ==, 3000);
  for (guint32 id = 0; id < 3000; id++)
    {
      g_assert_cmpstr (wl_vocab_get_text (read, id), ==, wl_vocab_get_text (vocab, id));
      g_assert_cmpuint (wl_vocab_get_count (read, id), ==, id * 37);
      g_assert_cmpuint (wl_vocab_get_key (read, id), ==, wl_vocab_get_key (vocab, id));
      g_assert_cmpuint (wl_vocab_lookup (read, wl_vocab_get_key (vocab, id)), ==, id);
    }

  for (gsize cut = 0; cut < len; cut += 13)
    {
      g_autoptr(WlModelReader) reader = wl_model_reader_new (data, cut, "v");
      g_autoptr(GError) cut_error = NULL;

      g_assert_null (wl_vocab_read_packed (reader, two_rules, &calls, &cut_error));
      g_assert_error (cut_error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
    }
  /* A damaged byte: no crash, and when noticed an error that says the
   * file is corrupted (the model file's checksum notices the others). */
  for (gsize at = 24; at < len; at += len / 17)
    {
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(WlModelReader) reader = NULL;
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(WlVocab) bad = NULL;

      copy[at] ^= 0x55;
      reader = wl_model_reader_new (copy, len, "v");
      bad = wl_vocab_read_packed (reader, two_rules, &calls, &bad_error);
      if (bad == NULL)
        g_assert_error (bad_error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vocab/insert-lookup", test_insert_lookup);
  g_test_add_func ("/vocab/document-frequency", test_document_frequency);
  g_test_add_func ("/vocab/count-parts", test_count_parts);
  g_test_add_func ("/vocab/count-keys", test_count_keys);
  g_test_add_func ("/vocab/count-keys-growing", test_count_keys_growing);
  g_test_add_func ("/vocab/count-pruned", test_count_pruned);
  g_test_add_func ("/vocab/add-windows", test_add_windows);
  g_test_add_func ("/vocab/write-read", test_write_read);
  g_test_add_func ("/vocab/write-read-many", test_write_read_many);
  g_test_add_func ("/vocab/read-duplicate", test_read_duplicate);
  g_test_add_func ("/vocab/packed", test_packed);

  return g_test_run ();
}
