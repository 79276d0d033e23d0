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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vocab/insert-lookup", test_insert_lookup);
  g_test_add_func ("/vocab/document-frequency", test_document_frequency);
  g_test_add_func ("/vocab/count-parts", test_count_parts);
  g_test_add_func ("/vocab/write-read", test_write_read);
  g_test_add_func ("/vocab/read-duplicate", test_read_duplicate);

  return g_test_run ();
}
