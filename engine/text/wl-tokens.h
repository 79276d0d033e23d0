/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-tokens.h: the tokens of one document, packed.
 *
 * All token bytes live in one buffer, each token NUL-terminated; offsets[i]
 * is where token i starts.  One allocation pair per document keeps millions
 * of documents cheap to hold and to free.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *buf;
  guint32 *offsets;
  guint32  n_tokens;
  guint32  buf_len;    /* bytes used in buf */
} WlTokenList;

static inline const char *
wl_token_list_get (const WlTokenList *list,
                   guint32            i)
{
  return list->buf + list->offsets[i];
}

void wl_token_list_clear (WlTokenList *list);

/* Frees an array of @n token lists allocated with g_new0(). */
void wl_token_lists_free (WlTokenList *lists,
                          gsize        n);

/* Collects the tokens of one document in growing buffers that are kept
 * from one document to the next; wl_token_builder_finish() copies them into
 * a WlTokenList of exactly the right size.  One builder per thread. */
typedef struct
{
  char    *buf;
  gsize    buf_len;
  gsize    buf_size;
  guint32 *offsets;
  gsize    n_tokens;
  gsize    offsets_size;
} WlTokenBuilder;

void        wl_token_builder_init   (WlTokenBuilder *builder);
void        wl_token_builder_clear  (WlTokenBuilder *builder);

/* Appends @len bytes of @token and returns the stored, NUL-terminated copy
 * (valid until the next append), or NULL when the document already holds
 * 4 GiB of tokens and the token is dropped. */
const char *wl_token_builder_append (WlTokenBuilder *builder,
                                     const char     *token,
                                     gsize           len);
/* Removes the last token appended. */
void        wl_token_builder_pop    (WlTokenBuilder *builder);
/* Moves the tokens into @out (whose old tokens are freed) and empties the
 * builder for the next document. */
void        wl_token_builder_finish (WlTokenBuilder *builder,
                                     WlTokenList    *out);

G_END_DECLS
